import { createInMemoryEventStore } from '../fakes/in-memory-event-store.ts';
import { eventStoreContract } from './event-store-contract.ts';
import { sendLedgerContract } from './send-ledger-contract.ts';

eventStoreContract('the in-memory fake', async () => createInMemoryEventStore());
sendLedgerContract('the in-memory fake', async () => createInMemoryEventStore());
