import * as z from 'zod/mini';
import { ENV } from '../deployment-names.ts';
import { SettingsError } from '../errors.ts';
import { resolveSettings, type Settings } from '../settings.ts';

/** Parses a function's environment once, reporting every missing or bad variable at once. */
export function parseEnv<Schema extends z.ZodMiniType>(
  schema: Schema,
  env: Record<string, string | undefined>,
): z.infer<Schema> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new SettingsError(`Invalid environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The settings the stack validated at synth and handed to the function as JSON. */
export function settingsFromJson(text: string | undefined): Settings {
  let value: unknown = {};
  try {
    if (text) value = JSON.parse(text);
  } catch (error) {
    throw new SettingsError(`${ENV.settings} is not valid JSON`, { cause: error });
  }
  const result = resolveSettings([{ source: ENV.settings, value }]);
  if (!result.ok) throw new SettingsError(result.message);
  return result.settings;
}
