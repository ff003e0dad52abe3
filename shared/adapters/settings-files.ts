import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SettingsError } from '../errors.ts';
import { resolveSettings, type Settings, type SettingsLayer } from '../settings.ts';

export const CONFIG_FILE_VARIABLE = 'INCIDENT_FLOW_CONFIG';

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SettingsError(
      `${what}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: error },
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SettingsError(`${what}: ${path} is not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
}

/** The `incidentFlow` object of cdk.json's context, as a settings layer. */
export function cdkContextLayer(projectDir: string): SettingsLayer {
  const cdkJson = readJson(resolve(projectDir, 'cdk.json'), 'cdk.json');
  const context =
    typeof cdkJson === 'object' && cdkJson !== null && 'context' in cdkJson ? cdkJson.context : undefined;
  const value =
    typeof context === 'object' && context !== null && 'incidentFlow' in context
      ? context.incidentFlow
      : undefined;
  return { source: 'cdk.json context "incidentFlow"', value };
}

/** The JSON file named by INCIDENT_FLOW_CONFIG, when set, as a settings layer. */
export function configFileLayer(env: Record<string, string | undefined>): SettingsLayer[] {
  const path = env[CONFIG_FILE_VARIABLE];
  if (!path) return [];
  return [{ source: `${CONFIG_FILE_VARIABLE}=${path}`, value: readJson(path, CONFIG_FILE_VARIABLE) }];
}

/** Defaults, then the given layers, validated; throws a SettingsError naming every bad key. */
export function settingsFrom(layers: readonly SettingsLayer[]): Settings {
  const result = resolveSettings(layers);
  if (!result.ok) throw new SettingsError(result.message);
  return result.settings;
}
