import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ENV, TABLE } from '#shared/deployment-names.ts';

/** What each kind of function does with the table, by the adapter calls it makes: no more. */
export const TABLE_ACCESS = {
  /** jira-webhook: append events (PutItem), ask whether an issue is known (Query). */
  ingest: ['dynamodb:PutItem', 'dynamodb:Query'],
  /** deployment-webhook: record a deployment (PutItem). */
  deployments: ['dynamodb:PutItem'],
  /** ci-webhook: read and keep CI streaks, deliveries and fix links, find incidents by key, record deployments. */
  ci: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
  /** incident-processor: read events, save state, forget stale week summaries. */
  processing: ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Query'],
  /** weekly-report: read weeks and summaries, store summaries and the sent ledger. */
  reporting: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
  /** postmortem-writer: read an incident's events and records, record the postmortem written. */
  postmortems: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
  /** postmortem-sync and follow-up-reminder: read and keep follow-ups, mark postmortems' status. */
  followUps: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
  /** reconciler: read an issue's events, append the missing ones, keep its watermark. */
  reconciling: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
  /** status-page-writer: list the incidents' states and read the shown ones' events; no write. */
  statusPage: ['dynamodb:Query'],
  /** alert-intake: keep deliveries and alert identities, read an incident's state by its key. */
  alerts: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
} as const;

const INDEXES = [
  TABLE.byKeyIndex,
  TABLE.byOpeningIndex,
  TABLE.byOpenedWeekIndex,
  TABLE.byResolvedWeekIndex,
  TABLE.byMonthIndex,
] as const;

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
    // The weekly report reads one week by these two, never the whole history.
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE.byOpenedWeekIndex,
      partitionKey: { name: TABLE.openedWeekAttribute, type: AttributeType.STRING },
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE.byResolvedWeekIndex,
      partitionKey: { name: TABLE.resolvedWeekAttribute, type: AttributeType.STRING },
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE.byMonthIndex,
      partitionKey: { name: TABLE.monthAttribute, type: AttributeType.STRING },
      sortKey: { name: TABLE.monthSort, type: AttributeType.NUMBER },
    });
  }

  /** Lets the function use the table: grants exactly the actions of its kind on the table and its indexes, and names the table. */
  connect(fn: LambdaFunction, actions: readonly string[]): void {
    const indexArns = INDEXES.map((indexName) => `${this.table.tableArn}/index/${indexName}`);
    fn.addToRolePolicy(
      new PolicyStatement({ actions: [...actions], resources: [this.table.tableArn, ...indexArns] }),
    );
    fn.addEnvironment(ENV.tableName, this.table.tableName);
  }
}
