import type { PostmortemWriter, WrittenPostmortem } from '#shared/ports.ts';

/**
 * A postmortem writer that writes each incident's draft at once, at a URL named for the incident, once
 * (as the Notion and Markdown writers do), and records the keys of the incidents it was asked to write.
 */
export function createRecordingPostmortemWriter(): PostmortemWriter & { readonly written: string[] } {
  const written: string[] = [];
  const pages = new Map<string, WrittenPostmortem>();
  return {
    written,
    async write(draft) {
      written.push(draft.incidentKey);
      const existing = pages.get(draft.incidentKey);
      if (existing) return { ...existing, created: false };
      const page = { id: `p${pages.size + 1}`, url: `https://notion.so/${draft.incidentKey}`, created: true };
      pages.set(draft.incidentKey, page);
      return page;
    },
    async refreshProperties() {},
  };
}
