/**
 * AWS cost of Incident Flow from the synthesized template and the requests counted per incident
 * (test/infra/incident-usage.ts counts them by running the demo lifecycle through the real handlers
 * and DynamoDB adapter). docs/operations.md shows `renderCostModel`'s output; a test keeps them equal.
 */

/** us-east-1 list prices in USD, without free tiers (docs/operations.md says when they were taken). */
export const PRICES = {
  httpApiPerMillionRequests: 1.0,
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  dynamoPerMillionWriteUnits: 0.625,
  dynamoPerMillionReadUnits: 0.125,
  dynamoStoragePerGbMonth: 0.25,
  dynamoPitrPerGbMonth: 0.2,
  logsIngestionPerGb: 0.5,
  secretsPerTenThousandCalls: 0.05,
  secretPerMonth: 0.4,
  alarmPerMonth: 0.1,
  dashboardPerMonth: 3.0,
  kmsKeyPerMonth: 1.0,
  schedulerPerMillionInvocations: 1.0,
  snsEmailPerHundredThousand: 2.0,
  snsSmsUsPerMessage: 0.00581,
  snsSmsUsCarrierFeePerMessage: 0.00302,
  pipesPerMillionEvents: 0.4,
  sqsFifoPerMillionRequests: 0.5,
  s3PutPerThousand: 0.005,
  cloudFrontHttpsPerTenThousand: 0.01,
  cloudFrontPerGbToInternet: 0.085,
} as const;

/** What is assumed rather than counted; each is stated in docs/operations.md. */
export const ASSUMPTIONS = {
  /** Deliveries of one incident are minutes apart, so assume each invocation starts cold (INIT is billed). */
  billedMsPerInvocation: 500,
  /** START, END and REPORT lines Lambda writes per invocation. */
  platformLogBytesPerInvocation: 350,
  /** Bytes Powertools adds to each structured line (timestamp, level, service, cold start, request id). */
  powertoolsLogOverheadBytes: 250,
  /** One JSON access-log line of the HTTP API per request. */
  accessLogBytesPerRequest: 300,
  /** Pessimistic: the webhook secret's 5-minute cache is cold on every delivery. */
  secretFetchesPerDelivery: 1,
  /** Status page, at most: every saved state taken as a visible change writing the index, the incident's page, the feed, two JSON and the badge. */
  statusFilesPerChange: 6,
  /** Status page: files the daily rebuild writes (every file: ten plus a page per incident shown). */
  statusFilesPerDailyRebuild: 40,
  /** Status page: SQS requests per rebuild request (send, receive, delete). */
  sqsRequestsPerMessage: 3,
  /** Status page: a month's views, each loading the page, its stylesheet and script, about 20 KB. */
  statusPageViewsPerMonth: 10_000,
  statusRequestsPerView: 3,
  statusBytesPerView: 20_000,
} as const;

/** Requests one incident causes, counted from the code. */
export interface IncidentUsage {
  readonly deliveries: number;
  /** Lambda invocations by job (functions/<job>). */
  readonly invocations: Readonly<Record<string, number>>;
  /** DynamoDB request units: writes include the global secondary indexes each item is written to. */
  readonly writeUnits: number;
  readonly readUnits: number;
  /** Bytes of the items left in the table (and in the indexes they are projected into). */
  readonly storedBytes: number;
  /** Bytes of structured log lines the functions wrote (without Powertools' fixed fields). */
  readonly appLogBytes: number;
  readonly appLogLines: number;
}

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
/** The synthesized CloudFormation template, as JSON. */
export interface TemplateJson {
  readonly Resources: Record<string, CfnResource>;
}

export interface CostLine {
  readonly item: string;
  readonly quantity: string;
  readonly usd: number;
}

const resourcesOf = (template: TemplateJson, type: string): CfnResource[] =>
  Object.values(template.Resources).filter((resource) => resource.Type === type);

/** Memory in MB of each function of the template, by its job (POWERTOOLS_SERVICE_NAME). */
export function functionMemoryByJob(template: TemplateJson): Map<string, number> {
  return new Map(
    resourcesOf(template, 'AWS::Lambda::Function').map((fn) => {
      const props = fn.Properties as {
        MemorySize?: number;
        Environment?: { Variables?: Record<string, unknown> };
      };
      return [String(props.Environment?.Variables?.POWERTOOLS_SERVICE_NAME), props.MemorySize ?? 128];
    }),
  );
}

const PER = 1_000;
const sum = (lines: readonly CostLine[]): number => lines.reduce((total, line) => total + line.usd, 0);
const count = (value: number): string => Math.round(value).toLocaleString('en-US');

/** Infrastructure cost of 1,000 incidents: API, Lambda, DynamoDB, logs, secrets. */
export function infrastructureCost(template: TemplateJson, usage: IncidentUsage): CostLine[] {
  const memory = functionMemoryByJob(template);
  const invocations = Object.values(usage.invocations).reduce((a, b) => a + b, 0) * PER;
  const gbSeconds =
    Object.entries(usage.invocations).reduce((total, [job, n]) => {
      const mb = memory.get(job);
      if (mb === undefined) throw new Error(`the template has no function for ${job}`);
      return total + n * (mb / 1024) * (ASSUMPTIONS.billedMsPerInvocation / 1000);
    }, 0) * PER;
  const logBytes =
    (usage.appLogBytes +
      usage.appLogLines * ASSUMPTIONS.powertoolsLogOverheadBytes +
      (invocations / PER) * ASSUMPTIONS.platformLogBytesPerInvocation +
      usage.deliveries * ASSUMPTIONS.accessLogBytesPerRequest) *
    PER;
  const requests = usage.deliveries * PER;
  const secretCalls = usage.deliveries * ASSUMPTIONS.secretFetchesPerDelivery * PER;
  return [
    {
      item: 'API Gateway HTTP API requests',
      quantity: `${count(requests)} requests`,
      usd: (requests / 1e6) * PRICES.httpApiPerMillionRequests,
    },
    {
      item: 'Lambda requests',
      quantity: `${count(invocations)} invocations`,
      usd: (invocations / 1e6) * PRICES.lambdaPerMillionRequests,
    },
    {
      item: 'Lambda compute (arm64)',
      quantity: `${count(gbSeconds)} GB-s`,
      usd: gbSeconds * PRICES.lambdaArmPerGbSecond,
    },
    {
      item: 'DynamoDB on-demand writes (table + indexes)',
      quantity: `${count(usage.writeUnits * PER)} WRU`,
      usd: ((usage.writeUnits * PER) / 1e6) * PRICES.dynamoPerMillionWriteUnits,
    },
    {
      item: 'DynamoDB on-demand reads',
      quantity: `${count(usage.readUnits * PER)} RRU`,
      usd: ((usage.readUnits * PER) / 1e6) * PRICES.dynamoPerMillionReadUnits,
    },
    { item: 'DynamoDB stream reads by Lambda', quantity: 'free for Lambda triggers', usd: 0 },
    {
      item: 'CloudWatch Logs ingestion',
      quantity: `${(logBytes / 1e6).toFixed(1)} MB`,
      usd: (logBytes / 1e9) * PRICES.logsIngestionPerGb,
    },
    {
      item: 'Secrets Manager API calls',
      quantity: `${count(secretCalls)} calls`,
      usd: (secretCalls / 1e4) * PRICES.secretsPerTenThousandCalls,
    },
  ];
}

/** What 1,000 incidents add to the table's monthly bill, every month they are kept. */
export function storageCostPerMonth(usage: IncidentUsage): CostLine {
  const gb = (usage.storedBytes * PER) / 1e9;
  return {
    item: 'DynamoDB storage + point-in-time recovery',
    quantity: `${(gb * 1000).toFixed(1)} MB`,
    usd: gb * (PRICES.dynamoStoragePerGbMonth + PRICES.dynamoPitrPerGbMonth),
  };
}

const DAYS_PER_MONTH = 30;

/**
 * How often a schedule of the template fires in a month, from its six-field cron: every N minutes
 * (`0/N * ...`), every hour, every N hours (`0 0/N ...`), else once a week (the weekly report).
 */
export function runsPerMonth(expression: string): number {
  const fields = /^cron\((.+)\)$/.exec(expression)?.[1]?.split(' ') ?? [];
  const [minutes, hours, dayOfMonth] = fields;
  const everyMinutes = /^0\/(\d+)$/.exec(minutes ?? '');
  if (everyMinutes && hours === '*') return (60 / Number(everyMinutes[1])) * 24 * DAYS_PER_MONTH;
  if (minutes === '0' && hours === '*') return 24 * DAYS_PER_MONTH;
  const everyHours = /^0\/(\d+)$/.exec(hours ?? '');
  if (everyHours) return (24 / Number(everyHours[1])) * DAYS_PER_MONTH;
  if (dayOfMonth === '*') return DAYS_PER_MONTH;
  return 5;
}

/** A quiet reconciler run: one search page, nothing to repair (measured locally: well under a second). */
const QUIET_RECONCILER_RUN_SECONDS = 1;

/** Costs that do not depend on incidents, from the resources in the template. */
export function fixedMonthlyCost(template: TemplateJson): CostLine[] {
  const secrets = resourcesOf(template, 'AWS::SecretsManager::Secret').length;
  const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').length;
  const dashboards = resourcesOf(template, 'AWS::CloudWatch::Dashboard').length;
  const keys = resourcesOf(template, 'AWS::KMS::Key').length;
  const schedules = resourcesOf(template, 'AWS::Scheduler::Schedule');
  const expressions = schedules.map((schedule) =>
    String((schedule.Properties as { ScheduleExpression?: unknown }).ScheduleExpression ?? ''),
  );
  const runs = expressions.reduce((total, expression) => total + runsPerMonth(expression), 0);
  const reconcilerMemoryGb = (functionMemoryByJob(template).get('reconciler') ?? 0) / 1024;
  const reconcilerIds = new Set(
    Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
      .filter(([, fn]) => JSON.stringify(fn.Properties).includes('"POWERTOOLS_SERVICE_NAME":"reconciler"'))
      .map(([logicalId]) => logicalId),
  );
  const reconcilerRuns = schedules
    .filter((schedule) => {
      const target = (schedule.Properties as { Target?: { Arn?: { 'Fn::GetAtt'?: string[] } } }).Target;
      return reconcilerIds.has(target?.Arn?.['Fn::GetAtt']?.[0] ?? '');
    })
    .reduce(
      (total, schedule) =>
        total +
        runsPerMonth(String((schedule.Properties as { ScheduleExpression?: unknown }).ScheduleExpression)),
      0,
    );
  return [
    { item: 'Secrets Manager secrets', quantity: `${secrets}`, usd: secrets * PRICES.secretPerMonth },
    { item: 'CloudWatch alarms (standard)', quantity: `${alarms}`, usd: alarms * PRICES.alarmPerMonth },
    { item: 'CloudWatch dashboards', quantity: `${dashboards}`, usd: dashboards * PRICES.dashboardPerMonth },
    { item: 'KMS customer managed keys', quantity: `${keys}`, usd: keys * PRICES.kmsKeyPerMonth },
    {
      item: 'EventBridge Scheduler invocations',
      quantity: `${schedules.length} schedules, ${count(runs)} runs`,
      usd: (runs / 1e6) * PRICES.schedulerPerMillionInvocations,
    },
    {
      item: 'Reconciler runs (Lambda, a quiet run)',
      quantity: `${count(reconcilerRuns)} × ${QUIET_RECONCILER_RUN_SECONDS} s`,
      usd:
        (reconcilerRuns / 1e6) * PRICES.lambdaPerMillionRequests +
        reconcilerRuns * QUIET_RECONCILER_RUN_SECONDS * reconcilerMemoryGb * PRICES.lambdaArmPerGbSecond,
    },
  ];
}

/**
 * What the status page adds when statusPage.enabled: per 1,000 incidents, each saved state (about one
 * per webhook delivery) is a pipe event, a FIFO message and a writer run that puts the changed files;
 * per month, the daily rebuild and the page's views through CloudFront (list price, before its free tier).
 */
export function statusPageCost(usage: IncidentUsage): {
  perThousandIncidents: CostLine[];
  perMonth: CostLine[];
} {
  const changes = usage.deliveries * PER;
  const writerGbSeconds = changes * (256 / 1024) * (ASSUMPTIONS.billedMsPerInvocation / 1000);
  const dailyRuns = DAYS_PER_MONTH;
  const views = ASSUMPTIONS.statusPageViewsPerMonth;
  return {
    perThousandIncidents: [
      {
        item: 'EventBridge Pipes events (saved states)',
        quantity: `${count(changes)} events`,
        usd: (changes / 1e6) * PRICES.pipesPerMillionEvents,
      },
      {
        item: 'SQS FIFO requests',
        quantity: `${count(changes * ASSUMPTIONS.sqsRequestsPerMessage)} requests`,
        usd: ((changes * ASSUMPTIONS.sqsRequestsPerMessage) / 1e6) * PRICES.sqsFifoPerMillionRequests,
      },
      {
        item: 'Status page writer (Lambda, 256 MB, one run per change at most)',
        quantity: `${count(changes)} runs`,
        usd:
          (changes / 1e6) * PRICES.lambdaPerMillionRequests + writerGbSeconds * PRICES.lambdaArmPerGbSecond,
      },
      {
        item: 'S3 PUTs of changed files (at most)',
        quantity: `${count(changes * ASSUMPTIONS.statusFilesPerChange)} PUTs`,
        usd: ((changes * ASSUMPTIONS.statusFilesPerChange) / 1000) * PRICES.s3PutPerThousand,
      },
    ],
    perMonth: [
      {
        item: 'Daily rebuild (schedule, writer run, every file put)',
        quantity: `${dailyRuns} runs, ${count(dailyRuns * ASSUMPTIONS.statusFilesPerDailyRebuild)} PUTs`,
        usd:
          (dailyRuns / 1e6) * (PRICES.schedulerPerMillionInvocations + PRICES.lambdaPerMillionRequests) +
          dailyRuns *
            (256 / 1024) *
            (ASSUMPTIONS.billedMsPerInvocation / 1000) *
            PRICES.lambdaArmPerGbSecond +
          ((dailyRuns * ASSUMPTIONS.statusFilesPerDailyRebuild) / 1000) * PRICES.s3PutPerThousand,
      },
      {
        item: 'CloudFront requests and transfer (page views)',
        quantity: `${count(views)} views`,
        usd:
          ((views * ASSUMPTIONS.statusRequestsPerView) / 1e4) * PRICES.cloudFrontHttpsPerTenThousand +
          ((views * ASSUMPTIONS.statusBytesPerView) / 1e9) * PRICES.cloudFrontPerGbToInternet,
      },
    ],
  };
}

/** SNS delivery prices per message, kept apart from the infrastructure: they scale with subscribers. */
export function deliveryPrices(): CostLine[] {
  return [
    {
      item: 'SNS email notification',
      quantity: 'per message',
      usd: PRICES.snsEmailPerHundredThousand / 1e5,
    },
    {
      item: 'SNS SMS, United States (base + carrier fee)',
      quantity: 'per message part',
      usd: PRICES.snsSmsUsPerMessage + PRICES.snsSmsUsCarrierFeePerMessage,
    },
  ];
}

const usd = (value: number): string => {
  if (value === 0) return '$0';
  return value < 0.01 ? `$${value.toFixed(5)}` : `$${value.toFixed(3)}`;
};
const table = (lines: readonly CostLine[], total?: string): string =>
  [
    '| item | quantity | cost |',
    '| --- | --- | ---: |',
    ...lines.map((line) => `| ${line.item} | ${line.quantity} | ${usd(line.usd)} |`),
    ...(total ? [`| **${total}** | | **${usd(sum(lines))}** |`] : []),
  ].join('\n');

/** The infrastructure target per 1,000 incidents, in USD. */
export const TARGET_PER_THOUSAND_USD = 0.25;

/** The cost model as the Markdown docs/operations.md shows between its cost-model markers. */
export function renderCostModel(template: TemplateJson, usage: IncidentUsage): string {
  const infrastructure = infrastructureCost(template, usage);
  const total = sum(infrastructure);
  const statusPage = statusPageCost(usage);
  const invocations = Object.entries(usage.invocations)
    .map(([job, n]) => `${n} ${job}`)
    .join(', ');
  return [
    `Counted per incident (demo lifecycle): ${usage.deliveries} webhook deliveries; Lambda invocations ${invocations}; ` +
      `${usage.writeUnits} write units and ${usage.readUnits} read units; ${usage.appLogLines} application log lines ` +
      `(${usage.appLogBytes} bytes); ${usage.storedBytes} bytes stored.`,
    '',
    '**Per 1,000 incidents, infrastructure**',
    '',
    table(infrastructure, 'Total per 1,000 incidents'),
    '',
    `Target ≤ $${TARGET_PER_THOUSAND_USD.toFixed(2)}: ${total <= TARGET_PER_THOUSAND_USD ? 'met' : 'NOT met'} (${usd(total)}).`,
    '',
    '**Storage, per 1,000 incidents kept, per month**',
    '',
    table([storageCostPerMonth(usage)]),
    '',
    '**Fixed, per month (list price, before the free tier)**',
    '',
    table(fixedMonthlyCost(template), 'Total per month'),
    '',
    '**Deliveries (SNS), per message**',
    '',
    table(deliveryPrices()),
    '',
    '**Status page, when `statusPage.enabled`: per 1,000 incidents**',
    '',
    table(statusPage.perThousandIncidents, 'Total per 1,000 incidents'),
    '',
    '**Status page, per month (S3 storage of a few hundred KB is under a cent)**',
    '',
    table(statusPage.perMonth, 'Total per month'),
  ].join('\n');
}
