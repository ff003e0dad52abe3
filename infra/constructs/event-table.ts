import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ENV, TABLE } from '#shared/deployment-names.ts';

/** What the event store adapter does: append events and save state (PutItem), read them back (Query). */
const EVENT_STORE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:Query'];

/** The incidents' events and state, keyed as shared/adapters/dynamo-table.ts creates it locally. */
export class EventTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      // The processor reads only the keys of a new event, then queries the whole incident.
      stream: StreamViewType.KEYS_ONLY,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: 'expiresAt',
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE.byKeyIndex,
      partitionKey: { name: TABLE.byKeyAttribute, type: AttributeType.STRING },
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE.byOpeningIndex,
      partitionKey: { name: TABLE.byOpeningPartition, type: AttributeType.STRING },
      sortKey: { name: TABLE.byOpeningSort, type: AttributeType.NUMBER },
    });
  }

  /** Lets the function use the event store: grants exactly its actions on the table and its indexes, and names the table. */
  connect(fn: LambdaFunction): void {
    const indexArns = [TABLE.byKeyIndex, TABLE.byOpeningIndex].map(
      (indexName) => `${this.table.tableArn}/index/${indexName}`,
    );
    fn.addToRolePolicy(
      new PolicyStatement({ actions: EVENT_STORE_ACTIONS, resources: [this.table.tableArn, ...indexArns] }),
    );
    fn.addEnvironment(ENV.tableName, this.table.tableName);
  }
}
