import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildFunctionBundle,
  DEFERRED_PACKAGES,
  FORBIDDEN_PACKAGES,
  JIRA_FUNCTIONS,
  UNUSED_PACKAGES,
  unwantedPackages,
} from '../../bench/bundles.ts';

const root = resolve(import.meta.dirname, '../..');
const outDir = mkdtempSync(join(tmpdir(), 'incident-flow-bundles-'));
const bundle = (name: string) =>
  buildFunctionBundle(name, join(root, 'functions', name, 'handler.ts'), outDir);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('function bundles, as esbuild builds them for Lambda', () => {
  it.each(Object.keys(FORBIDDEN_PACKAGES))(
    'keeps the Jira and Notion clients out of %s',
    async (name) => {
      const built = await bundle(name);

      const unwanted = unwantedPackages(built);

      expect(unwanted).toEqual([]);
      expect(built.packages['@aws-sdk/client-dynamodb']).toBeGreaterThan(0);
    },
    60_000,
  );

  it.each(Object.keys(DEFERRED_PACKAGES))(
    'leaves the senders of %s to a file of its own, loaded on first send',
    async (name) => {
      const built = await bundle(name);

      const senders = (await import(pathToFileURL(join(outDir, 'aws-senders.mjs')).href)) as Record<
        string,
        unknown
      >;

      expect(unwantedPackages(built)).toEqual([]);
      expect(readFileSync(built.file, 'utf8')).toContain('./aws-senders.mjs');
      expect(typeof senders.createAwsNotifications).toBe('function');
      expect(typeof senders.createParameterDirectory).toBe('function');
    },
    60_000,
  );

  it.each(JIRA_FUNCTIONS)(
    'bundles nothing %s does not use',
    async (name) => {
      const built = await bundle(name);

      const unwanted = unwantedPackages(built);

      expect(UNUSED_PACKAGES[name]?.length).toBeGreaterThan(0);
      expect(unwanted).toEqual([]);
      expect(built.packages['jira.js']).toBeGreaterThan(0);
    },
    60_000,
  );
});
