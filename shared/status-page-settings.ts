import * as z from 'zod/mini';
import './domain/zod-english.ts';
import { type KnownStage, STAGES } from './domain/lifecycle.ts';
import { COMPONENT_STATES, UPDATE_PHASES, type UpdatePhase } from './domain/status-page-states.ts';

// The status page's settings, apart from settings.ts (which composes them) for one concern per file.
const nonEmpty = z.string().check(z.minLength(1));
const componentState = z.enum(COMPONENT_STATES);
const phase = z.enum(UPDATE_PHASES);

const DEFAULT_PHASES: Record<KnownStage, UpdatePhase> = {
  detection: 'investigating',
  declaration: 'investigating',
  categorization: 'investigating',
  diagnosis: 'investigating',
  mitigation: 'identified',
  resolution: 'resolved',
  analysis: 'resolved',
  closed: 'resolved',
};

/** One key per stage, each defaulted: a team names only the stages it maps differently. */
const phasesShape = () =>
  Object.fromEntries(STAGES.map((stage) => [stage, z._default(phase, DEFAULT_PHASES[stage])])) as Record<
    KnownStage,
    z.ZodMiniDefault<typeof phase>
  >;

/** The `statusPage` settings: what customers see, and what never reaches them. */
export const statusPageSchema = z.lazy(() =>
  z
    .strictObject({
      /**
       * Deploy the page on AWS: its bucket, CloudFront distribution and writer. Locally the page is
       * always served at /status, and written by `incident-flow status-page`.
       */
      enabled: z._default(z.boolean(), false),
      /** The page's name, in its title and headline. */
      title: z._default(nonEmpty, 'Service status'),
      /**
       * The components customers see, in order, each with the Jira components whose incidents affect
       * it (default: its own name). Empty: each Jira component of a shown incident, under its own name.
       */
      components: z._default(
        z.array(
          z.strictObject({
            name: nonEmpty,
            jiraComponents: z.optional(z.array(nonEmpty).check(z.minLength(1))),
            description: z.optional(nonEmpty),
          }),
        ),
        [],
      ),
      /** The state an ongoing incident puts its components in, by severity (none set: as SEV4). */
      severityStates: z._default(
        z.strictObject({
          SEV1: componentState,
          SEV2: componentState,
          SEV3: componentState,
          SEV4: componentState,
        }),
        {
          SEV1: 'major-outage',
          SEV2: 'partial-outage',
          SEV3: 'degraded-performance',
          SEV4: 'degraded-performance',
        },
      ),
      /** The customer-facing phase of each board stage. */
      phases: z.prefault(z.strictObject(phasesShape()), {}),
      /** A Jira comment starting with this is published (after it); every other comment stays internal. */
      publicCommentPrefix: z._default(nonEmpty, 'Status update:'),
      /**
       * Also publish the comments Jira Service Management shares with customers (its public comments),
       * and never its internal notes. Only for incidents in a service project: Jira marks every comment
       * of other projects public.
       */
      jsmPublicComments: z._default(z.boolean(), false),
      /** An incident with this label never appears on the page. */
      internalLabel: z._default(z.string().check(z.regex(/^\S+$/, 'a label without spaces')), 'internal'),
      /** Show the Jira summary as the incident's title; by default the title names the affected components. */
      showSummary: z._default(z.boolean(), false),
      /** Days of history per component. */
      historyDays: z._default(z.number().check(z.int(), z.minimum(7), z.maximum(90)), 90),
      /** The page's public address (https, no trailing slash), for the feed's and the JSON's links. */
      baseUrl: z.optional(
        z
          .string()
          .check(
            z.regex(/^https:\/\/[^/\s]+(\/[^\s]*[^/\s])?$/, 'https://<host>[/path] with no trailing slash'),
          ),
      ),
      /** A custom domain for the page on AWS, with the ARN of its ACM certificate (in us-east-1). */
      customDomain: z.optional(
        z.strictObject({
          domainName: z
            .string()
            .check(z.regex(/^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'a host name such as status.example.com')),
          certificateArn: z
            .string()
            .check(
              z.regex(
                /^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/,
                'an ACM certificate ARN in us-east-1',
              ),
            ),
        }),
      ),
    })
    .check(
      z.refine(
        (value) => {
          const names = value.components.map((component) => component.name.toLowerCase());
          return new Set(names).size === names.length;
        },
        { message: 'each component name may be listed once', path: ['components'] },
      ),
      z.refine((value) => value.enabled || value.customDomain === undefined, {
        message: 'a custom domain is for the page on AWS: set statusPage.enabled to true, or remove it',
        path: ['customDomain'],
      }),
    ),
);
