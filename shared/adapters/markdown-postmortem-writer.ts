import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { NotionBlock, NotionRichText } from '../domain/jira-text-to-notion.ts';
import type { PostmortemDraft, PostmortemWriter } from '../ports.ts';

function inline(runs: readonly NotionRichText[]): string {
  return runs
    .map((run) => {
      // Markdown emphasis must hug its text: spaces at the edges go outside the markers.
      const [, lead = '', core = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(run.text.content) ?? [];
      let content = core;
      if (content && run.annotations?.code) content = `\`${content}\``;
      if (content && run.annotations?.bold) content = `**${content}**`;
      if (content && run.annotations?.italic) content = `_${content}_`;
      if (content && run.annotations?.strikethrough) content = `~~${content}~~`;
      if (run.text.link) content = `[${content}](${run.text.link.url})`;
      return `${lead}${content}${trail}`;
    })
    .join('');
}

function markdownOf(blocks: readonly NotionBlock[], depth = 0): string[] {
  const indent = '  '.repeat(depth);
  return blocks.flatMap((block): string[] => {
    switch (block.type) {
      case 'heading_1':
        return ['', `# ${inline(block.heading_1.rich_text)}`, ''];
      case 'heading_2':
        return ['', `## ${inline(block.heading_2.rich_text)}`, ''];
      case 'heading_3':
        return ['', `### ${inline(block.heading_3.rich_text)}`, ''];
      case 'paragraph':
        return [
          `${indent}${inline(block.paragraph.rich_text)}`,
          '',
          ...markdownOf(block.paragraph.children ?? [], depth + 1),
        ];
      case 'bulleted_list_item':
        return [
          `${indent}- ${inline(block.bulleted_list_item.rich_text)}`,
          ...markdownOf(block.bulleted_list_item.children ?? [], depth + 1),
        ];
      case 'numbered_list_item':
        return [
          `${indent}1. ${inline(block.numbered_list_item.rich_text)}`,
          ...markdownOf(block.numbered_list_item.children ?? [], depth + 1),
        ];
      case 'to_do':
        return [
          `${indent}- [${block.to_do.checked ? 'x' : ' '}] ${inline(block.to_do.rich_text)}`,
          ...markdownOf(block.to_do.children ?? [], depth + 1),
        ];
      case 'quote':
        return [
          `${indent}> ${inline(block.quote.rich_text)}`,
          '',
          ...markdownOf(block.quote.children ?? [], depth + 1),
        ];
      case 'code':
        return [`\`\`\`${block.code.language.replace(/\s/g, '')}`, inline(block.code.rich_text), '```', ''];
      case 'divider':
        return ['---', ''];
      default:
        return block satisfies never;
    }
  });
}

/** The postmortem as Markdown, with its properties as a header table. */
export function postmortemMarkdown(draft: PostmortemDraft): string {
  const rows: [string, string | null][] = [
    ['Jira', draft.jiraUrl],
    ['Severity', draft.severity],
    ['Status', 'Draft'],
    ['Incident start', new Date(draft.incidentStartMs).toISOString()],
    ['Resolved', draft.resolvedAtMs === null ? null : new Date(draft.resolvedAtMs).toISOString()],
    ['Time to resolve', draft.timeToResolve],
    ['Time to acknowledge', draft.timeToAcknowledge],
  ];
  const table = [
    '| property | value |',
    '| --- | --- |',
    ...rows.filter(([, value]) => value !== null).map(([name, value]) => `| ${name} | ${value} |`),
  ];
  const markdown = [`# ${draft.title}`, '', ...table, ...markdownOf(draft.blocks)]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
  return `${markdown.trimEnd()}\n`;
}

/**
 * The postmortem writer of local mode (no Notion token): one Markdown file per incident under
 * DATA_DIR/postmortems, written once; a file already there is the postmortem and is left alone.
 */
export function createMarkdownPostmortemWriter(dir: string): PostmortemWriter {
  return {
    async write(draft) {
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `${draft.incidentKey}.md`);
      const url = pathToFileURL(path).href;
      if (existsSync(path)) return { id: draft.incidentKey, url, created: false };
      writeFileSync(path, postmortemMarkdown(draft), { flag: 'wx' });
      return { id: draft.incidentKey, url, created: true };
    },
  };
}
