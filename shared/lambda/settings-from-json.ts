import { ENV } from '../deployment-names.ts';
import { SettingsError } from '../errors.ts';
import { resolveSettings, type Settings } from '../settings.ts';
import { settingsJson } from './config.ts';

/**
 * The settings the stack validated at synth and handed to the function as JSON; apart from config.ts
 * so that the webhook, which reads only the ingest settings, bundles none of the other schemas.
 */
export function settingsFromJson(text: string | undefined): Settings {
  const result = resolveSettings([{ source: ENV.settings, value: settingsJson(text) }]);
  if (!result.ok) throw new SettingsError(result.message);
  return result.settings;
}
