import type { TestProject } from 'vitest/node';
import { startLocalDynamo } from '#shared/adapters/local-dynamo.ts';
import { findChromium } from './browser/chromium.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    /** The Chromium the browser tests drive; empty where none is installed (they are skipped then). */
    chromiumPath: string;
  }
}

/**
 * One in-memory dynalite for the whole run, on a free port; each test file makes its own table. Finds
 * Chromium once: without it the browser tests are skipped with one line saying so, unless
 * CI_REQUIRE_BROWSER=1 (as .ci/run sets), where a missing browser fails the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const chromiumPath = findChromium();
  if (chromiumPath === null) {
    if (process.env.CI_REQUIRE_BROWSER === '1')
      throw new Error('CI_REQUIRE_BROWSER=1 but no Chromium found (apt-get install chromium)');
    process.stdout.write('No Chromium found (apt-get install chromium): the browser tests are skipped.\n');
  }
  project.provide('chromiumPath', chromiumPath ?? '');
  const dynamo = await startLocalDynamo({ port: 0 });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.close();
}
