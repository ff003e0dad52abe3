import { createDynamoReportLedger } from '#shared/adapters/dynamo-report-ledger.ts';
import { reportLedgerContract } from '../contract/report-ledger-contract.ts';
import { onFreshTable } from './dynamo.ts';

reportLedgerContract('the DynamoDB adapter on dynalite', onFreshTable(createDynamoReportLedger));
