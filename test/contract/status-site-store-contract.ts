import { describe, expect, it } from 'vitest';
import type { SiteFile } from '#shared/domain/status-page-site.ts';
import type { StatusSiteStore } from '#shared/ports.ts';

/** A store under test, and a way to read what it serves at a path (null for nothing). */
export interface StatusSiteUnderTest {
  readonly store: StatusSiteStore;
  readonly read: (path: string) => Promise<string | null>;
}

const html = (path: string, body: string): SiteFile => ({
  path,
  contentType: 'text/html; charset=utf-8',
  body,
});
const site = (incidentBody = '<p>Investigating</p>'): SiteFile[] => [
  html('index.html', '<h1>All systems operational</h1>'),
  html('incidents/ops-1.html', incidentBody),
  { path: 'assets/status.css', contentType: 'text/css; charset=utf-8', body: 'body{margin:0}' },
];

/** What every StatusSiteStore promises; run against the fake and the adapters alike. */
export function statusSiteStoreContract(name: string, makeStore: () => Promise<StatusSiteUnderTest>): void {
  describe(`${name} keeps the StatusSiteStore contract`, () => {
    it('writes every file of a first publication, each at its path', async () => {
      const { store, read } = await makeStore();

      const outcome = await store.publish(site(), []);

      expect([...outcome.written].sort()).toEqual([
        'assets/status.css',
        'incidents/ops-1.html',
        'index.html',
      ]);
      expect(outcome.unchanged).toBe(0);
      expect(await read('incidents/ops-1.html')).toBe('<p>Investigating</p>');
      expect(await read('assets/status.css')).toBe('body{margin:0}');
    });

    it('writes nothing when the same site is published again', async () => {
      const { store } = await makeStore();
      await store.publish(site(), []);

      const outcome = await store.publish(site(), []);

      expect(outcome).toEqual({ written: [], removed: [], unchanged: 3 });
    });

    it('writes only the file whose bytes changed', async () => {
      const { store, read } = await makeStore();
      await store.publish(site(), []);

      const outcome = await store.publish(site('<p>Identified</p>'), []);

      expect(outcome.written).toEqual(['incidents/ops-1.html']);
      expect(outcome.unchanged).toBe(2);
      expect(await read('incidents/ops-1.html')).toBe('<p>Identified</p>');
    });

    it('removes a page the site no longer has, and keeps the pages it still has', async () => {
      const { store, read } = await makeStore();
      await store.publish(site(), []);

      const outcome = await store.publish(
        site().filter((file) => file.path !== 'incidents/ops-1.html'),
        ['incidents/ops-1.html'],
      );

      expect(outcome.removed).toEqual(['incidents/ops-1.html']);
      expect(await read('incidents/ops-1.html')).toBeNull();
      expect(await read('index.html')).toBe('<h1>All systems operational</h1>');
    });

    it('never removes a path that is also published, and takes the removal of nothing in its stride', async () => {
      const { store, read } = await makeStore();

      await store.publish(site(), ['index.html', 'incidents/ops-9.html']);

      expect(await read('index.html')).toBe('<h1>All systems operational</h1>');
      expect(await read('incidents/ops-9.html')).toBeNull();
    });

    it('writes every file again when asked to rewrite them all', async () => {
      const { store } = await makeStore();
      await store.publish(site(), []);

      const outcome = await store.publish(site(), [], { rewriteAll: true });

      expect(outcome.written).toHaveLength(3);
      expect(outcome.unchanged).toBe(0);
    });

    it('writes a removed page again when it comes back', async () => {
      const { store, read } = await makeStore();
      await store.publish(site(), []);
      await store.publish([], ['incidents/ops-1.html']);

      const outcome = await store.publish(site(), []);

      expect(outcome.written).toEqual(['incidents/ops-1.html']);
      expect(await read('incidents/ops-1.html')).toBe('<p>Investigating</p>');
    });
  });
}
