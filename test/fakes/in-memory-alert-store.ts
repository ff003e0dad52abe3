import type { AlertSource, AlertStore, ReceivedDelivery, RememberedAlert } from '#shared/ports.ts';

/** The alert store in memory, with the DynamoDB adapter's contract (test/contract). */
export function createInMemoryAlertStore(): AlertStore & {
  readonly deliveries: readonly ReceivedDelivery[];
} {
  const deliveries: ReceivedDelivery[] = [];
  const incidentOf = new Map<string, string>();
  const lastComment = new Map<string, number>();
  const sources = new Map<string, AlertSource>();
  let storm: string | null = null;
  return {
    deliveries,
    async recordDelivery(delivery) {
      if (deliveries.some((each) => each.deliveryId === delivery.deliveryId)) return;
      deliveries.push(structuredClone(delivery));
    },
    deliveriesBetween: async (fromMs, toMs) =>
      deliveries
        .filter((each) => each.receivedAtMs >= fromMs && each.receivedAtMs < toMs)
        .sort((a, b) => a.receivedAtMs - b.receivedAtMs)
        .map((each) => structuredClone(each)),
    async recall(identities) {
      const known = new Map<string, RememberedAlert>();
      for (const identity of identities) {
        const incidentKey = incidentOf.get(identity);
        if (incidentKey !== undefined)
          known.set(identity, { incidentKey, lastCommentAtMs: lastComment.get(incidentKey) ?? null });
      }
      return known;
    },
    async remember(identities, incidentKey) {
      for (const identity of identities) incidentOf.set(identity, incidentKey);
    },
    async commented(incidentKey, atMs) {
      lastComment.set(incidentKey, atMs);
    },
    async opened(source) {
      sources.set(source.incidentKey, structuredClone(source));
    },
    openedBetween: async (fromMs, toMs) =>
      [...sources.values()].filter((each) => each.openedAtMs >= fromMs && each.openedAtMs < toMs).length,
    sourceOf: async (incidentKey) => structuredClone(sources.get(incidentKey) ?? null),
    async cleared(incidentKey, atMs) {
      const source = sources.get(incidentKey);
      if (source) sources.set(incidentKey, { ...source, clearedAtMs: atMs });
    },
    stormIncident: async () => storm,
    async saveStormIncident(incidentKey) {
      storm = incidentKey;
    },
  };
}
