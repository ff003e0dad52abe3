import { configFileLayer } from '#shared/adapters/settings-files.ts';
import { resolveSettings, type Settings } from '#shared/settings.ts';

export const CONTEXT_KEY = 'incidentFlow';

/**
 * Defaults, then cdk.json's context "incidentFlow", then the file named by INCIDENT_FLOW_CONFIG;
 * throws naming every bad key, which stops synth.
 */
export function settingsForSynth(context: unknown, env: Record<string, string | undefined>): Settings {
  const result = resolveSettings([
    { source: `CDK context "${CONTEXT_KEY}"`, value: context },
    ...configFileLayer(env),
  ]);
  if (!result.ok) throw new Error(result.message);
  return result.settings;
}
