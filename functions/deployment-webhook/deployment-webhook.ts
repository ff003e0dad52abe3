import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { deploymentOf, deploymentReportSchema } from '#shared/domain/deployments.ts';
import { type HttpResult, httpErrors, json } from '#shared/lambda/http.ts';
import { readSignedJson } from '#shared/lambda/signed-json.ts';
import type { WebhookSecrets } from '#shared/lambda/webhook-signature.ts';
import type { DeploymentStore, Log } from '#shared/ports.ts';

export interface DeploymentWebhookDeps {
  readonly deployments: DeploymentStore;
  /** The secrets to verify with (the same as Jira's); null turns verification off locally. */
  readonly secrets: () => Promise<WebhookSecrets | null>;
  readonly log: Log;
}

/** POST /webhooks/deployment: a CI/CD pipeline reports a deployment, signed like Jira's webhooks. */
export function makeDeploymentWebhookHandler(deps: DeploymentWebhookDeps) {
  return middy<APIGatewayProxyEventV2, HttpResult>(
    async (event: APIGatewayProxyEventV2): Promise<HttpResult> => {
      const report = readSignedJson(
        event,
        await deps.secrets(),
        deploymentReportSchema,
        'a deployment report',
      );
      const deployment = deploymentOf(report);
      const outcome = await deps.deployments.recordDeployment(deployment);
      if (outcome === 'duplicate') return json(200, { duplicate: true, deployment: deployment.id });
      // `service` is Powertools' key for this function's own name: a log attribute of that name is dropped.
      deps.log.info('deployment recorded', {
        deployment: deployment.id,
        deployedService: deployment.service,
      });
      return json(202, { stored: true, deployment: deployment.id });
    },
  ).use(httpErrors(deps.log));
}
