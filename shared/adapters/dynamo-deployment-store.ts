import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { TABLE } from '../deployment-names.ts';
import { type Deployment, deploymentSchema } from '../domain/deployments.ts';
import type { DeploymentStore } from '../ports.ts';
import { utcMonthOf, utcMonthsBetween } from './utc-months.ts';

const isNewDeployment = 'attribute_not_exists(sk)';

/** Deployments are found by UTC month (a week spans at most two), then by time within it. */
function monthKey(ms: number): string {
  return `DEPLOYMENTS#${utcMonthOf(ms)}`;
}

/** The deployment store in the event table: one item per deployment id, indexed by month and time. */
export function createDynamoDeploymentStore(client: DynamoDBClient, tableName: string): DeploymentStore {
  return {
    async recordDeployment(deployment) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: marshall({
              [TABLE.partitionKey]: `DEPLOYMENT#${deployment.id}`,
              [TABLE.sortKey]: 'DEPLOYMENT',
              [TABLE.monthAttribute]: monthKey(deployment.atMs),
              [TABLE.monthSort]: deployment.atMs,
              deployment,
            }),
            ConditionExpression: isNewDeployment,
          }),
        );
        return 'stored';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'duplicate';
        throw error;
      }
    },

    async listDeployments(startMs, endMs) {
      const deployments: Deployment[] = [];
      for (const month of utcMonthsBetween(startMs, endMs).map((utcMonth) => `DEPLOYMENTS#${utcMonth}`)) {
        let startKey: QueryCommandInput['ExclusiveStartKey'];
        do {
          const page = await client.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: TABLE.byMonthIndex,
              KeyConditionExpression: `${TABLE.monthAttribute} = :month AND ${TABLE.monthSort} BETWEEN :start AND :last`,
              ExpressionAttributeValues: marshall({ ':month': month, ':start': startMs, ':last': endMs - 1 }),
              ExclusiveStartKey: startKey,
            }),
          );
          for (const item of page.Items ?? [])
            deployments.push(deploymentSchema.parse(unmarshall(item).deployment));
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }
      return deployments;
    },
  };
}
