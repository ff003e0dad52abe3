import { SNSClient } from '@aws-sdk/client-sns';
import { createPowertoolsLog } from '#shared/adapters/powertools-log.ts';
import { createSnsSubscriptions } from '#shared/adapters/sns-subscriptions.ts';
import { ENV } from '#shared/deployment-names.ts';
import { parseEnv } from '#shared/lambda/config.ts';
import { settingsFromJson } from '#shared/lambda/settings-from-json.ts';
import { awsClientConfig } from '#shared/outbound-timeouts.ts';
import { statusSubscribeEnvSchema } from './config.ts';
import { makeStatusSubscribeHandler } from './status-subscribe.ts';

const env = parseEnv(statusSubscribeEnvSchema, process.env);
const { statusPage } = settingsFromJson(env[ENV.settings]);

export const handler = makeStatusSubscribeHandler({
  subscriptions: createSnsSubscriptions(new SNSClient(awsClientConfig()), env[ENV.subscribeTopicArn]),
  log: createPowertoolsLog('status-subscribe'),
  site: { title: statusPage.title, url: statusPage.baseUrl ?? env[ENV.statusSiteUrl] },
});
