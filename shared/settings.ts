import * as z from 'zod/mini';
import './domain/zod-english.ts';
import { alertsSchema } from './alert-settings.ts';
import { ciSchema } from './ci-settings.ts';
import { SEVERITIES, STAGES, type StatusMapping } from './domain/lifecycle.ts';
import { CHANNELS, DEFAULT_POLICY, type Group, TRIGGERS } from './domain/notification-policy.ts';
import { automationSchema, incidentsSchema, severitySchema } from './ingest-settings.ts';
import { statusPageSchema } from './status-page-settings.ts';

const stage = z.enum(STAGES);
const severity = z.enum(SEVERITIES);
const nonEmpty = z.string().check(z.minLength(1));

const DEFAULT_STATUSES: StatusMapping[] = [
  { name: 'Detected', stage: 'detection' },
  { name: 'Declared', stage: 'declaration' },
  { name: 'Triaged', stage: 'categorization' },
  { name: 'Investigating', stage: 'diagnosis' },
  { name: 'Mitigating', stage: 'mitigation' },
  { name: 'Resolved', stage: 'resolution' },
  { name: 'Postmortem', stage: 'analysis' },
  { name: 'Done', stage: 'closed' },
];

let canonicalTimeZones: ReadonlySet<string> | undefined;

// The first Intl.DateTimeFormat costs ~11 ms (ICU loads its calendar data), too much for every cold
// start; the list of canonical zones costs ~1 ms. Aliases (Asia/Calcutta) take the slow path.
function isTimeZone(name: string): boolean {
  if (name === 'UTC') return true;
  canonicalTimeZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (canonicalTimeZones.has(name)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

// Built on first use (z.lazy): a module that imports these schemas without parsing settings builds none.
const boardSchema = z.lazy(() =>
  z.strictObject({
    statuses: z._default(
      z
        .array(
          z.strictObject({
            name: nonEmpty,
            id: z.optional(nonEmpty),
            stage,
          }),
        )
        .check(z.minLength(1)),
      DEFAULT_STATUSES,
    ),
    acknowledgeStage: z._default(stage, 'declaration'),
    resolveStage: z._default(stage, 'resolution'),
  }),
);

function buildNotificationsSchema() {
  const minutes = z.number().check(z.int(), z.positive());

  const policyRule = z.strictObject({ on: z.enum(TRIGGERS), minSeverity: z.optional(severity) });
  const groupPolicy = z.strictObject({ channels: z.array(z.enum(CHANNELS)), rules: z.array(policyRule) });

  /** A group's policy, replaced whole when the team sets it, else the default (docs/architecture.md). */
  const groupPolicyOf = (group: Group) =>
    z._default(groupPolicy, () => structuredClone(DEFAULT_POLICY[group]) as z.output<typeof groupPolicy>);

  const policySchema = z.strictObject({
    'manage-closely': groupPolicyOf('manage-closely'),
    'keep-satisfied': groupPolicyOf('keep-satisfied'),
    'keep-informed': groupPolicyOf('keep-informed'),
    monitor: groupPolicyOf('monitor'),
  });

  return z.strictObject({
    /** Who hears what, per group: channels, and the triggers (from a severity up) that tell it. */
    policy: z.prefault(policySchema, {}),
    /**
     * Where the stakeholder directory (names, emails, phones) is read from: a JSON file path, an SSM
     * parameter or a Secrets Manager secret. Never the repo; in local mode without one, a fictional demo
     * directory is used.
     */
    directory: z.optional(
      z.union([
        z.strictObject({ file: nonEmpty }),
        z.strictObject({ ssmParameter: nonEmpty }),
        z.strictObject({ secretArn: nonEmpty }),
      ]),
    ),
    /** Stage changes of one incident within this window go out as one message naming the latest stage. */
    burstWindowSeconds: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(3600)), 60),
    /** An unacknowledged SEV1/SEV2 this long after opening pages manage-closely. */
    escalationMinutes: z._default(z.strictObject({ SEV1: minutes, SEV2: minutes }), { SEV1: 15, SEV2: 30 }),
    /** When the next update is promised, by severity (none for SEV4). */
    nextUpdateMinutes: z._default(
      z.strictObject({ SEV1: minutes, SEV2: minutes, SEV3: minutes, SEV4: z.nullable(minutes) }),
      { SEV1: 30, SEV2: 60, SEV3: 120, SEV4: null },
    ),
  });
}
const notificationsSchema = z.lazy(buildNotificationsSchema);

const postmortemSchema = z.lazy(() =>
  z.strictObject({
    /** The Notion postmortem database; without it postmortems are written as Markdown locally only. */
    notion: z.optional(
      z.strictObject({
        databaseId: z
          .string()
          .check(
            z.regex(
              /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i,
              "the database's id from its URL (32 hex digits)",
            ),
          ),
        /** The body: the built-in outline, the data source's default Notion template, or a named one. */
        template: z._default(
          z.union([
            z.literal('built-in'),
            z.literal('default'),
            z.strictObject({ templateId: nonEmpty }),
            /** A page the team edits in Notion, copied with {{incident.key}}, {{timeline}}… filled in. */
            z.strictObject({ templatePageId: nonEmpty }),
          ]),
          'built-in',
        ),
      }),
    ),
    /** Incident Flow's own Jira account id: its comments are left out of the timeline. */
    ownJiraAccountId: z.optional(nonEmpty),
    /**
     * The stage whose reaching starts the postmortem (e.g. "analysis" for a Postmortem status);
     * default: the resolving stage, so a postmortem exists once the incident is resolved.
     */
    triggerStage: z.optional(stage),
  }),
);

const reportSchema = z.lazy(() =>
  z.strictObject({
    /** An incident with this label was caused by a change (for the change failure rate). */
    changeLabel: z._default(nonEmpty, 'caused-by-change'),
    /** A resolved incident whose postmortem is still unwritten this many days later is listed. */
    unwrittenPostmortemDays: z._default(z.number().check(z.int(), z.positive()), 5),
    /** Jira site for links in the report, e.g. https://your-team.atlassian.net */
    jiraBaseUrl: z.optional(z.string().check(z.regex(/^https:\/\/[^/\s]+$/, 'https://<site> with no path'))),
    /**
     * The HTML email through Amazon SES, beside the SNS plain text: `from` an address of a verified SES
     * identity, `to` its readers (never commit real ones: put them in the INCIDENT_FLOW_CONFIG file).
     */
    email: z.optional(
      z.strictObject({
        from: z.email(),
        to: z.array(z.email()).check(z.minLength(1), z.maxLength(50)),
        /** The verified identity `from` sends as: the address itself or its domain (default: its domain). */
        identity: z.optional(z.string().check(z.regex(/^[^\s@]+(@[^\s@]+)?$/, 'a domain or an address'))),
      }),
    ),
  }),
);

const reconcilerSchema = z.lazy(() =>
  z.strictObject({
    /** How often the reconciler asks Jira what changed (minutes). */
    everyMinutes: z._default(z.number().check(z.int(), z.minimum(5), z.maximum(1440)), 60),
    /** Each run looks this much further back than the last run's watermark (Jira's search lags). */
    overlapMinutes: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(1440)), 10),
    /** How far back the very first run looks, before any watermark exists. */
    firstRunLookbackHours: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(720)), 24),
    /** Issues read from Jira at once (each costs a changelog and a comments request or more). */
    concurrency: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(16)), 4),
    /** Runs a day that repair something before the alarm says webhooks are failing. */
    alarmRepairingRunsPerDay: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(288)), 3),
  }),
);

const dayCount = z.number().check(z.int(), z.minimum(1), z.maximum(365));
const hourOfDay = z.number().check(z.int(), z.minimum(0), z.maximum(24));

const followUpsSchema = z.lazy(() =>
  z
    .strictObject({
      /** The Jira project of follow-up tickets; default: the incident's own project. */
      projectKey: z.optional(
        z.string().check(z.regex(/^[A-Z][A-Z0-9_]+$/, 'a Jira project key such as OPS')),
      ),
      /** The issue type of follow-up tickets (a team may use its own "Tech Debt" type). */
      issueType: z._default(nonEmpty, 'Task'),
      labels: z._default(z.array(z.string().check(z.regex(/^\S+$/, 'a label without spaces'))), [
        'tech-debt',
        'incident-followup',
      ]),
      /** The issue link type between a follow-up and its incident. */
      linkType: z._default(nonEmpty, 'Relates'),
      /** Days until due when an item names no date, by the incident's severity. */
      defaultDueDays: z._default(
        z.strictObject({ SEV1: dayCount, SEV2: dayCount, SEV3: dayCount, SEV4: dayCount }),
        {
          SEV1: 7,
          SEV2: 14,
          SEV3: 30,
          SEV4: 60,
        },
      ),
      /** Move the incident to its closed status once every follow-up is done and the postmortem is Published. */
      closeIncidentWhenDone: z._default(z.boolean(), false),
      /** How often the postmortems' action items are synced (minutes). */
      syncEveryMinutes: z._default(z.number().check(z.int(), z.minimum(5), z.maximum(1440)), 15),
      /** Reminders go out on weekdays between these hours of the team's time zone. */
      workingHours: z._default(z.strictObject({ start: hourOfDay, end: hourOfDay }), { start: 9, end: 18 }),
      /** An overdue follow-up is reminded at most this often (days). */
      remindEveryDays: z._default(dayCount, 7),
      /** A follow-up due within this many days gets one early reminder. */
      earlyReminderDays: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(30)), 2),
      /** Overdue by more than this many days, a follow-up goes to manage-closely in the weekly report. */
      escalateAfterDays: z._default(dayCount, 14),
    })
    .check(
      z.refine((value) => value.workingHours.start < value.workingHours.end, {
        message: 'workingHours.start must be before workingHours.end',
        path: ['workingHours'],
      }),
    ),
);

/** Every setting of Incident Flow, with the defaults of the standard board (docs/settings.md). */
export const settingsSchema = z.lazy(() =>
  z
    .strictObject({
      /** Where editors find this schema; ignored otherwise. */
      $schema: z.optional(z.string()),
      board: z.prefault(boardSchema, {}),
      incidents: z.prefault(incidentsSchema, {}),
      severity: z.prefault(severitySchema, {}),
      report: z.prefault(reportSchema, {}),
      notifications: z.prefault(notificationsSchema, {}),
      postmortem: z.prefault(postmortemSchema, {}),
      reconciler: z.prefault(reconcilerSchema, {}),
      followUps: z.prefault(followUpsSchema, {}),
      automation: z.prefault(automationSchema, {}),
      statusPage: z.prefault(statusPageSchema, {}),
      ci: z.prefault(ciSchema, {}),
      alerts: z.prefault(alertsSchema, {}),
      timeZone: z._default(
        z.string().check(z.refine(isTimeZone, 'an IANA time zone name such as Europe/Berlin or UTC')),
        'UTC',
      ),
    })
    .check(
      z.refine(
        (value) => {
          const names = value.board.statuses.map((status) => status.name.toLowerCase());
          return new Set(names).size === names.length;
        },
        { message: 'each status name may be mapped once', path: ['board', 'statuses'] },
      ),
    ),
);

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

/** A layer of settings and where it came from, for error messages. */
export interface SettingsLayer {
  readonly source: string;
  readonly value: unknown;
}

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; message: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Later layers win key by key; arrays and scalars are replaced whole. */
function mergeLayers(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeLayers(base[key], value);
  return merged;
}

/** Defaults, overridden by each layer in turn; every problem is reported at once, naming its key. */
export function resolveSettings(layers: readonly SettingsLayer[]): SettingsResult {
  const notObjects = layers.filter((layer) => layer.value !== undefined && !isPlainObject(layer.value));
  if (notObjects.length > 0) {
    return {
      ok: false,
      message: notObjects.map((layer) => `${layer.source}: settings must be a JSON object`).join('\n'),
    };
  }
  const merged = layers.reduce<unknown>((acc, layer) => mergeLayers(acc, layer.value ?? {}), {});
  const parsed = settingsSchema.safeParse(merged);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const sources = layers.map((layer) => layer.source).join(', then ');
  return {
    ok: false,
    message: `Invalid Incident Flow settings (from ${sources}):\n${z.prettifyError(parsed.error)}`,
  };
}

/** The settings schema as JSON Schema, for editors completing a settings file. */
export function settingsJsonSchema(): unknown {
  return z.toJSONSchema(settingsSchema, { io: 'input', target: 'draft-2020-12' });
}
