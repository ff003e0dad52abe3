/** Environment variable names, shared by the constructs that set them and the config that reads them. */
export const ENV = {
  tableName: 'TABLE_NAME',
  settings: 'INCIDENT_FLOW_SETTINGS',
  webhookSecretArn: 'WEBHOOK_SECRET_ARN',
  webhookSecret: 'WEBHOOK_SECRET',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  reportTopicArn: 'REPORT_TOPIC_ARN',
  notifyTopicArns: 'NOTIFY_TOPIC_ARNS',
  recheckQueueUrl: 'RECHECK_QUEUE_URL',
  postmortemQueueUrl: 'POSTMORTEM_QUEUE_URL',
  jiraSecretArn: 'JIRA_SECRET_ARN',
  notionSecretArn: 'NOTION_SECRET_ARN',
  statusSiteBucket: 'STATUS_SITE_BUCKET',
  statusSiteUrl: 'STATUS_SITE_URL',
  /** The keep-satisfied topic the status page's form subscribes addresses to. */
  subscribeTopicArn: 'SUBSCRIBE_TOPIC_ARN',
  /** The absolute address the status page's form posts to (the HTTP API's subscribe route). */
  statusSubscribeUrl: 'STATUS_SUBSCRIBE_URL',
} as const;

/**
 * Why a message is on the status page writer's queue: the pipe from the table's stream saw an
 * incident's state change, or the daily schedule rebuilds the history bars. Either way it rebuilds.
 */
export const STATUS_SITE_REBUILD_REASONS = ['incident-changed', 'daily'] as const;

/** The event table's key design: one partition per incident holding its events and its state. */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  eventPrefix: 'EVENT#',
  /** The sort key of an incident's folded state in its partition. */
  stateSortKey: 'STATE',
  byKeyIndex: 'byKey',
  byKeyAttribute: 'issueKey',
  byOpeningIndex: 'byOpening',
  byOpeningPartition: 'listPk',
  byOpeningSort: 'openedAtMs',
  byOpenedWeekIndex: 'byOpenedWeek',
  openedWeekAttribute: 'openedWeek',
  byResolvedWeekIndex: 'byResolvedWeek',
  resolvedWeekAttribute: 'resolvedWeek',
  byMonthIndex: 'byMonth',
  monthAttribute: 'deployMonth',
  monthSort: 'deployedAtMs',
} as const;

/** The tools with an alert route of their own: POST /webhooks/alerts/<tool> (locally and on AWS). */
export const ALERT_ROUTE_TOOLS = ['alertmanager', 'grafana', 'cloudwatch', 'generic'] as const;
