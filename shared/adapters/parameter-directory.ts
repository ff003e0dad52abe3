import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import * as z from 'zod/mini';
import { type Directory, directorySchema } from '../domain/stakeholder-directory.ts';
import { SettingsError } from '../errors.ts';
import { awsClientConfig } from '../outbound-timeouts.ts';

/** Where the directory lives on AWS: an SSM SecureString parameter or a Secrets Manager secret. */
export type DirectorySource = { readonly ssmParameter: string } | { readonly secretArn: string };

/** Read at most every five minutes: an edited directory reaches warm functions without a deploy. */
const MAX_AGE_SECONDS = 300;

/**
 * The stakeholder directory from SSM or Secrets Manager (Powertools parameters, cached), parsed with
 * its schema; an error names the source and the field, never a contact.
 */
export function createParameterDirectory(source: DirectorySource): () => Promise<Directory> {
  return async () => {
    const value =
      'ssmParameter' in source
        ? await new SSMProvider({
            clientConfig: awsClientConfig(),
          }).get(source.ssmParameter, { decrypt: true, transform: 'json', maxAge: MAX_AGE_SECONDS })
        : await new SecretsProvider({
            clientConfig: awsClientConfig(),
          }).get(source.secretArn, { transform: 'json', maxAge: MAX_AGE_SECONDS });
    const parsed = directorySchema.safeParse(value);
    if (!parsed.success) {
      const name = 'ssmParameter' in source ? source.ssmParameter : source.secretArn;
      throw new SettingsError(
        `the stakeholder directory in ${name} is not valid:\n${z.prettifyError(parsed.error)}`,
      );
    }
    return parsed.data;
  };
}
