import { Duration, Validations } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '#shared/deployment-names.ts';
import type { Settings } from '#shared/settings.ts';
import { FUNCTION_SIZING } from '../function-sizing.ts';
import { deadLetterQueue } from './dead-letter-queue.ts';
import { type EventTable, TABLE_ACCESS } from './event-table.ts';
import { IncidentFunction } from './incident-function.ts';
import type { IncidentSecrets } from './incident-secrets.ts';

/** Lambda's guidance for an SQS source: the queue's visibility timeout at least six times the function's. */
const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * A postmortem failing eight times waits in the dead-letter queue: with the writer's backoff (1, 2, 4…
 * 64 minutes between tries) that is Notion or Jira down or refusing for about two hours.
 */
export const POSTMORTEM_MAX_RECEIVE_COUNT = 8;

export interface PostmortemWritingProps {
  readonly events: EventTable;
  readonly settings: Settings;
  readonly secrets: IncidentSecrets;
  /** 1 keeps to Notion's ~3 requests/s; undefined where the account cannot reserve concurrency. */
  readonly reservedConcurrency: number | undefined;
}

/**
 * Postmortems written to Notion, out of the incident processor: the queue a resolved incident is put on
 * (`{ issueId }`), and the postmortem-writer function that consumes it one message at a time, writes the
 * Notion page and comments its link on the Jira incident. A failed write comes back when its visibility
 * timeout ends (SQS's redelivery is the retry) and goes to the dead-letter queue after five attempts.
 * `connect` lets a function enqueue.
 */
export class PostmortemWriting extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly writerFunction: IncidentFunction;

  constructor(scope: Construct, id: string, props: PostmortemWritingProps) {
    super(scope, id);

    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetters', 'of the postmortem queue');

    const sizing = FUNCTION_SIZING['postmortem-writer'];
    this.queue = new Queue(this, 'Postmortems', {
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      visibilityTimeout: Duration.seconds(VISIBILITY_TIMEOUT_FACTOR * sizing.timeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: POSTMORTEM_MAX_RECEIVE_COUNT },
    });

    this.writerFunction = new IncidentFunction(this, 'PostmortemWriter', {
      job: 'postmortem-writer',
      settings: props.settings,
      // One writer at a time: two would share Notion's ~3 requests/s per integration and be refused.
      reservedConcurrency: props.reservedConcurrency,
    });
    const fn = this.writerFunction.function;
    props.events.connect(fn, TABLE_ACCESS.postmortems);
    // Notion for the page, Jira for the comment that links it from the incident.
    props.secrets.grantNotion(fn);
    props.secrets.grantJira(fn);
    fn.addEventSource(new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true }));
    // The writer sets a failed message's visibility (its backoff): the event source's consume grant
    // includes sqs:ChangeMessageVisibility; the function needs the queue's URL.
    fn.addEnvironment(ENV.postmortemQueueUrl, this.queue.queueUrl);
    const redrivenByTheQueue = `Invoked only by the postmortem queue's event source, which takes no on-failure destination for SQS; a message failing ${POSTMORTEM_MAX_RECEIVE_COUNT} times goes to the queue's dead-letter queue.`;
    Validations.of(this.writerFunction).acknowledge(
      { id: 'Serverless-LambdaDLQ', reason: redrivenByTheQueue },
      { id: 'Serverless-LambdaEventSourceMappingDestination', reason: redrivenByTheQueue },
    );
  }

  /** Lets the function ask for a postmortem: send to the queue, and its URL. */
  connect(fn: LambdaFunction): void {
    this.queue.grantSendMessages(fn);
    fn.addEnvironment(ENV.postmortemQueueUrl, this.queue.queueUrl);
  }
}
