import { describe, expect, it } from 'vitest';
import type { DeploymentStore } from '#shared/ports.ts';

const at = (iso: string) => Date.parse(iso);

/** What every DeploymentStore promises; run against the fake and the DynamoDB adapter alike. */
export function deploymentStoreContract(name: string, makeStore: () => Promise<DeploymentStore>): void {
  describe(`${name} keeps the DeploymentStore contract`, () => {
    it('stores a deployment once and calls a second report of it a duplicate', async () => {
      const store = await makeStore();
      const deployment = {
        id: 'd-1',
        service: 'checkout',
        version: '1.4.0',
        atMs: at('2026-11-10T08:00:00Z'),
      };

      const first = await store.recordDeployment(deployment);
      const again = await store.recordDeployment({ ...deployment });

      expect(first).toBe('stored');
      expect(again).toBe('duplicate');
      expect(await store.listDeployments(at('2026-11-10T00:00:00Z'), at('2026-11-11T00:00:00Z'))).toEqual([
        deployment,
      ]);
    });

    it('lists the deployments from the start of a range, up to but not at its end', async () => {
      const store = await makeStore();
      await store.recordDeployment({ id: 'a', service: 's', version: '1', atMs: at('2026-11-09T00:00:00Z') });
      await store.recordDeployment({ id: 'b', service: 's', version: '2', atMs: at('2026-11-12T00:00:00Z') });
      await store.recordDeployment({ id: 'c', service: 's', version: '3', atMs: at('2026-11-16T00:00:00Z') });

      const listed = await store.listDeployments(at('2026-11-09T00:00:00Z'), at('2026-11-16T00:00:00Z'));

      expect(listed.map((deployment) => deployment.id).sort()).toEqual(['a', 'b']);
    });
  });
}
