import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from 'zod/mini';
import '#shared/domain/zod-english.ts';
import { type Directory, directorySchema } from '#shared/domain/stakeholder-directory.ts';

/** The cdk.json context key of the AWS-only options (the team's settings live under "incidentFlow"). */
export const DEPLOYMENT_CONTEXT_KEY = 'incidentFlowDeployment';

const secretName = z.string().check(z.regex(/^[\w/+=.@-]{1,512}$/, 'a Secrets Manager secret name'));

const deploymentOptionsSchema = z.strictObject({
  /** Subscribed to the ops topic by email; never commit a real address: pass it with `-c`. */
  opsEmail: z.optional(z.email()),
  /** Subscribed to the weekly report by email; never commit real addresses: pass them with `-c`. */
  reportEmails: z._default(z.array(z.email()), []),
  /**
   * The stakeholder directory (JSON, as in settings.notifications.directory) on the deployer's machine,
   * whose members are subscribed to their groups' topics; never commit it: pass it with `-c`.
   */
  directoryFile: z.optional(z.string().check(z.minLength(1))),
  /** The account's monthly SMS spend limit in USD (SNS refuses one above the account's quota). */
  smsMonthlySpendLimitUsd: z.optional(z.int().check(z.minimum(1), z.maximum(100_000))),
  /** Secrets the team already has, referenced by name instead of created empty by the stack. */
  existingSecrets: z._default(
    z.strictObject({
      webhook: z.optional(secretName),
      jira: z.optional(secretName),
      notion: z.optional(secretName),
    }),
    {},
  ),
  /**
   * The webhook function's reserved concurrency; null for none. Accounts whose concurrency quota is
   * still the new-account 10 cannot reserve any (AWS keeps 10 unreserved) and need null until raised.
   */
  webhookReservedConcurrency: z._default(z.nullable(z.int().check(z.minimum(1), z.maximum(1000))), 10),
});

/** Deployment options: where alarms go, which secrets exist already, how far the webhook may scale. */
export type DeploymentOptions = z.infer<typeof deploymentOptionsSchema>;

/**
 * The options from the context value (an object from cdk.json, or JSON text from `-c key='{…}'`), or an
 * error naming every bad key, which stops synth.
 */
export function deploymentOptionsForSynth(context: unknown): DeploymentOptions {
  let value = context ?? {};
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (error) {
      throw new Error(`CDK context "${DEPLOYMENT_CONTEXT_KEY}" is not valid JSON`, { cause: error });
    }
  }
  const parsed = deploymentOptionsSchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(`Invalid CDK context "${DEPLOYMENT_CONTEXT_KEY}":\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/**
 * The stakeholder directory in the deployer's `directoryFile`, or an error naming the option and the
 * field, never a contact (so no JSON parser message, which quotes the text).
 */
export function directoryForSynth(file: string): Directory {
  const where = `CDK context "${DEPLOYMENT_CONTEXT_KEY}".directoryFile (${file})`;
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch (error) {
    throw new Error(`${where} cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${where} is not valid JSON`);
  }
  const parsed = directorySchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(`${where} is not a valid stakeholder directory:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
