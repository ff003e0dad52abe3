import * as z from 'zod/mini';
import './domain/zod-english.ts';
import { SEVERITIES } from './domain/lifecycle.ts';

// The settings the webhook reads, apart from settings.ts (which composes them) so that the webhook's
// bundle holds none of the other schemas.
const severity = z.enum(SEVERITIES);
const nonEmpty = z.string().check(z.minLength(1));

const customField = z
  .string()
  .check(z.regex(/^customfield_\d+$/, 'a custom field id such as customfield_10070'));

/** Which Jira issues are incidents: by issue type or label. */
export const incidentsSchema = z.strictObject({
  issueTypes: z._default(z.array(nonEmpty), ['Incident', '[System] Incident']),
  labels: z._default(z.array(nonEmpty), ['incident']),
  /** A date field saying when impact started; the clock starts there instead of at the issue's creation. */
  startField: z.optional(customField),
});

/** Where an incident's severity comes from: its priority or a custom field, and how values map to SEV1–4. */
export const severitySchema = z
  .strictObject({
    source: z._default(z.enum(['priority', 'field']), 'priority'),
    priorities: z._default(z.record(nonEmpty, severity), {
      Highest: 'SEV1',
      High: 'SEV2',
      Medium: 'SEV3',
      Low: 'SEV4',
      Lowest: 'SEV4',
    }),
    field: z.optional(customField),
    fieldValues: z._default(z.record(nonEmpty, severity), {
      SEV1: 'SEV1',
      SEV2: 'SEV2',
      SEV3: 'SEV3',
      SEV4: 'SEV4',
    }),
  })
  .check(
    z.refine((value) => value.source !== 'field' || value.field !== undefined, {
      message:
        'severity.source is "field": set severity.field to the custom field id (e.g. customfield_10070)',
      path: ['field'],
    }),
  );

/** How Jira Automation deliveries authenticate. */
export const automationSchema = z.lazy(() =>
  z.strictObject({
    /** The request header a Jira Automation "Send web request" carries the shared secret in. */
    secretHeader: z._default(
      z.string().check(z.regex(/^[A-Za-z0-9-]+$/, 'an HTTP header name such as X-Incident-Flow-Secret')),
      'X-Incident-Flow-Secret',
    ),
  }),
);

/** The part of the settings the webhook reads: which issues are incidents, their severity, Automation's header. */
export const ingestSettingsSchema = z.object({
  incidents: z.prefault(incidentsSchema, {}),
  severity: z.prefault(severitySchema, {}),
  automation: z.prefault(automationSchema, {}),
});
export type IngestSettings = z.infer<typeof ingestSettingsSchema>;
