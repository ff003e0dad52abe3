import { CfnOutput, RemovalPolicy, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '#shared/deployment-names.ts';
import type { DeploymentOptions } from '../deployment-options.ts';

/** The empty shapes the team fills with `aws secretsmanager put-secret-value`. */
export const SECRET_SHAPES = {
  jira: { email: '', apiToken: '', site: '' },
  notion: { token: '' },
} as const;

const RETAINED = RemovalPolicy.RETAIN;

export interface IncidentSecretsProps {
  /** Names of secrets the team already has; each one named is referenced instead of created. */
  readonly existing: DeploymentOptions['existingSecrets'];
}

/**
 * The credentials Incident Flow holds: the webhook signing secret, the Jira API token and the Notion
 * token. Created by the stack (the webhook one generated, the others as empty shapes) and retained, or
 * referenced by name. Functions get read access and the ARN of exactly the secrets they use, and read
 * the value at cold start with Powertools parameters, never from a plain environment variable.
 */
export class IncidentSecrets extends Construct {
  readonly webhook: ISecret;
  readonly jira: ISecret;
  readonly notion: ISecret;
  /** The exact names, known at synth (an ISecret's name is a token), for outputs and docs. */
  readonly names: { readonly webhook: string; readonly jira: string; readonly notion: string };

  constructor(scope: Construct, id: string, props: IncidentSecretsProps) {
    super(scope, id);
    // Known names, so the team can fill them; per stack, so two stacks in an account do not collide.
    const prefix = Stack.of(this).stackName;
    this.names = {
      webhook: props.existing.webhook ?? `${prefix}/jira-webhook-secret`,
      jira: props.existing.jira ?? `${prefix}/jira-api`,
      notion: props.existing.notion ?? `${prefix}/notion-api`,
    };
    const rotatedByHand =
      'The value is issued by Jira or Notion (or pasted into Jira), which no rotation Lambda can do; docs/operations.md ("Rotating the secrets") rotates it by hand.';

    // The function expects {"current": "...", "previous"?: "..."}; "previous" is added by hand while rotating.
    this.webhook = props.existing.webhook
      ? Secret.fromSecretNameV2(this, 'WebhookSecret', props.existing.webhook)
      : new Secret(this, 'WebhookSecret', {
          secretName: this.names.webhook,
          description: 'Incident Flow: the secret Jira signs its webhooks with (paste "current" into Jira).',
          generateSecretString: {
            secretStringTemplate: '{}',
            generateStringKey: 'current',
            excludePunctuation: true,
            passwordLength: 48,
          },
          removalPolicy: RETAINED,
        });

    this.jira = props.existing.jira
      ? Secret.fromSecretNameV2(this, 'JiraSecret', props.existing.jira)
      : new Secret(this, 'JiraSecret', {
          secretName: this.names.jira,
          description: 'Incident Flow: the Jira Cloud user, API token and site URL it acts with.',
          // An empty shape, not a credential; CloudFormation writes it once and never again unless it changes here.
          secretStringValue: SecretValue.unsafePlainText(JSON.stringify(SECRET_SHAPES.jira)),
          removalPolicy: RETAINED,
        });

    this.notion = props.existing.notion
      ? Secret.fromSecretNameV2(this, 'NotionSecret', props.existing.notion)
      : new Secret(this, 'NotionSecret', {
          secretName: this.names.notion,
          description: 'Incident Flow: the token of the Notion integration that writes postmortems.',
          secretStringValue: SecretValue.unsafePlainText(JSON.stringify(SECRET_SHAPES.notion)),
          removalPolicy: RETAINED,
        });

    for (const secret of [this.webhook, this.jira, this.notion]) {
      if (secret instanceof Secret) {
        Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: rotatedByHand });
      }
    }

    const outputs = [
      [
        'WebhookSecretName',
        this.names.webhook,
        'holding the webhook secret to paste into Jira (its "current" key)',
      ],
      ['JiraSecretName', this.names.jira, 'to fill with {"email", "apiToken", "site"} of the Jira user'],
      ['NotionSecretName', this.names.notion, 'to fill with {"token"} of the Notion integration'],
    ] as const;
    for (const [key, value, what] of outputs) {
      new CfnOutput(this, key, { key, value, description: `The secret ${what}` });
    }
  }

  /** Lets the function verify webhook signatures: read access to the webhook secret and its ARN. */
  grantWebhook(fn: LambdaFunction): void {
    this.grant(fn, this.webhook, ENV.webhookSecretArn);
  }

  /** Lets the function call Jira: read access to the Jira secret and its ARN. */
  grantJira(fn: LambdaFunction): void {
    this.grant(fn, this.jira, ENV.jiraSecretArn);
  }

  /** Lets the function call Notion: read access to the Notion secret and its ARN. */
  grantNotion(fn: LambdaFunction): void {
    this.grant(fn, this.notion, ENV.notionSecretArn);
  }

  private grant(fn: LambdaFunction, secret: ISecret, envName: string): void {
    secret.grantRead(fn);
    // An id, never the value: the function fetches the value at cold start and caches it. A secret
    // referenced by name has only a partial ARN, which GetSecretValue can mistake; its name is exact.
    fn.addEnvironment(envName, secret instanceof Secret ? secret.secretArn : secret.secretName);
  }
}
