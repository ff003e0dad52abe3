import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Settings } from '#shared/settings.ts';
import { EventTable } from './constructs/event-table.ts';
import { IncidentProcessing } from './constructs/incident-processing.ts';
import { WebhookIngest } from './constructs/webhook-ingest.ts';

export interface IncidentFlowStackProps extends StackProps {
  /** Settings validated at synth, handed to every function. */
  readonly settings: Settings;
}

/** Incident Flow on AWS: Jira's webhooks in, the event table, and the processor of its stream. */
export class IncidentFlowStack extends Stack {
  readonly events: EventTable;
  readonly ingest: WebhookIngest;
  readonly processing: IncidentProcessing;

  constructor(scope: Construct, id: string, props: IncidentFlowStackProps) {
    super(scope, id, props);

    this.events = new EventTable(this, 'Events');
    this.ingest = new WebhookIngest(this, 'Ingest', { events: this.events, settings: props.settings });
    this.processing = new IncidentProcessing(this, 'Processing', {
      events: this.events,
      settings: props.settings,
    });
  }
}
