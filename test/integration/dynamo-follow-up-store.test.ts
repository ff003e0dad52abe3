import { createDynamoFollowUpStore } from '#shared/adapters/dynamo-follow-up-store.ts';
import { followUpStoreContract } from '../contract/follow-up-store-contract.ts';
import { freshDynamoStore } from './dynamo.ts';

followUpStoreContract('the DynamoDB adapter on dynalite', async (timeZone) => {
  const { client, tableName, store } = await freshDynamoStore();
  return {
    followUps: createDynamoFollowUpStore(client, tableName, timeZone),
    postmortems: store,
    states: store,
  };
});
