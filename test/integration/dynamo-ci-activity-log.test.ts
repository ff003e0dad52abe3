import { createDynamoCiActivityLog } from '#shared/adapters/dynamo-ci-activity-log.ts';
import { ciActivityLogContract } from '../contract/ci-activity-log-contract.ts';
import { onFreshTable } from './dynamo.ts';

ciActivityLogContract('the DynamoDB CI activity log', onFreshTable(createDynamoCiActivityLog));
