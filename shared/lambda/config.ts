import * as z from 'zod/mini';
import { ENV } from '../deployment-names.ts';
import { SettingsError } from '../errors.ts';
import { type IngestSettings, ingestSettingsSchema } from '../ingest-settings.ts';

/** Parses a function's environment once, reporting every missing or bad variable at once. */
export function parseEnv<Schema extends z.ZodMiniType>(
  schema: Schema,
  env: Record<string, string | undefined>,
): z.infer<Schema> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new SettingsError(`Invalid environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The settings JSON the stack handed the function, {} when unset; text that is not JSON is a SettingsError. */
export function settingsJson(text: string | undefined): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch (error) {
    throw new SettingsError(`${ENV.settings} is not valid JSON`, { cause: error });
  }
}

/** Only what the webhook reads of the same settings: it builds and checks no more at cold start. */
export function ingestSettingsFromJson(text: string | undefined): IngestSettings {
  const parsed = ingestSettingsSchema.safeParse(settingsJson(text));
  if (!parsed.success) throw new SettingsError(`Invalid ${ENV.settings}:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
