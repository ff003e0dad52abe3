import type { Deployment } from '#shared/domain/deployments.ts';
import type { DeploymentStore } from '#shared/ports.ts';

/** Deployments in memory, with the DynamoDB adapter's contract (one per id). */
export function createInMemoryDeploymentStore(): DeploymentStore {
  const deployments = new Map<string, Deployment>();
  return {
    async recordDeployment(deployment) {
      if (deployments.has(deployment.id)) return 'duplicate';
      deployments.set(deployment.id, { ...deployment });
      return 'stored';
    },
    async listDeployments(startMs, endMs) {
      return [...deployments.values()].filter(
        (deployment) => deployment.atMs >= startMs && deployment.atMs < endMs,
      );
    },
  };
}
