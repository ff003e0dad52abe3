import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's chromium package; CHROMIUM_PATH names another build. */
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium the browser tests drive, or null where none is installed. */
export function findChromium(): string | null {
  return (
    CANDIDATES.find((path): path is string => path !== undefined && path !== '' && existsSync(path)) ?? null
  );
}

/** The flags that keep a headless Chromium quiet: no GPU, no sandbox (root in CI), no calls home. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A fresh browser profile in a temporary directory, removed by `close`; JavaScript and time zone on request. */
export async function launchChromium(
  executablePath: string,
  options: { readonly javaScriptEnabled?: boolean; readonly timezoneId?: string } = {},
): Promise<{
  context: BrowserContext;
  close: () => Promise<void>;
}> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'incident-flow-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ARGS,
    viewport: { width: 600, height: 800 },
    // The email must stand on its own: any request it makes is a bug (external image, font, script).
    offline: true,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    ...(options.timezoneId === undefined ? {} : { timezoneId: options.timezoneId }),
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
