import { Duration, Validations } from 'aws-cdk-lib';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TABLE } from '#shared/deployment-names.ts';
import type { Settings } from '#shared/settings.ts';
import { deadLetterQueue } from './dead-letter-queue.ts';
import { type EventTable, TABLE_ACCESS } from './event-table.ts';
import { IncidentFunction } from './incident-function.ts';

export interface IncidentProcessingProps {
  readonly events: EventTable;
  readonly settings: Settings;
}

/** New events on the table's stream, folded into each incident by the incident-processor function. */
export class IncidentProcessing extends Construct {
  readonly processorFunction: IncidentFunction;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: IncidentProcessingProps) {
    super(scope, id);

    this.processorFunction = new IncidentFunction(this, 'IncidentProcessor', {
      job: 'incident-processor',
      settings: props.settings,
      // No reserved concurrency: the stream already allows one invocation per shard at a time
      // (parallelization factor 1), and an on-demand table of this size has one or a few shards.
    });
    const fn = this.processorFunction.function;
    props.events.connect(fn, TABLE_ACCESS.processing);

    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetters', 'of the stream');

    // CDK's defaults retry a failing batch until its records expire (a day), blocking the shard meanwhile.
    fn.addEventSource(
      new DynamoEventSource(props.events.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 25,
        // No window: a record goes with the next poll (4 a second per shard), so a notification
        // leaves about a quarter second plus one fold after its webhook. Under load, records that
        // arrive while a batch is folded go together in the next one anyway (see docs/decisions/0002).
        maxBatchingWindow: Duration.seconds(0),
        bisectBatchOnError: true,
        retryAttempts: 3,
        maxRecordAge: Duration.hours(1),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.deadLetterQueue),
        // Only new events wake the processor, not its own state writes.
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { Keys: { [TABLE.sortKey]: { S: FilterRule.beginsWith(TABLE.eventPrefix) } } },
          }),
        ],
      }),
    );
    Validations.of(this.processorFunction).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'dynamodb:ListStreams, granted by the stream event source, supports no resource-level permissions.',
      },
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          "Invoked only by the stream, whose failures go to the event source mapping's on-failure queue.",
      },
    );
  }
}
