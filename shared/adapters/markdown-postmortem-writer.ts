import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { DocBlock, DocRun } from '../domain/doc-blocks.ts';
import type { PostmortemDraft, PostmortemWriter } from '../ports.ts';
import { containedPath } from './contained-path.ts';

function inline(runs: readonly DocRun[]): string {
  return runs
    .map((run) => {
      // Markdown emphasis must hug its text: spaces at the edges go outside the markers.
      const [, lead = '', core = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(run.text) ?? [];
      let content = core;
      if (content && run.marks?.code) content = `\`${content}\``;
      if (content && run.marks?.bold) content = `**${content}**`;
      if (content && run.marks?.italic) content = `_${content}_`;
      if (content && run.marks?.strikethrough) content = `~~${content}~~`;
      if (run.url !== null) content = `[${content}](${run.url})`;
      return `${lead}${content}${trail}`;
    })
    .join('');
}

/** A table cell's text: a `|` would end the cell, a line break the row. */
const cell = (text: string) => text.replaceAll('|', '\\|').replace(/\r?\n/g, '<br>');

/**
 * A table as Markdown: its first row as the header when it has one (an empty header otherwise, which
 * Markdown requires); columns of figures (every cell below the header starting with a digit) aligned right.
 */
function markdownTable(table: Extract<DocBlock, { kind: 'table' }>, indent: string): string[] {
  const rows = table.rows.map((row) =>
    Array.from({ length: table.width }, (_, i) => cell(inline(row.cells[i] ?? []))),
  );
  const [header, body] = table.hasColumnHeader
    ? [rows[0] ?? [], rows.slice(1)]
    : [Array.from({ length: table.width }, () => ''), rows];
  const isFigures = (i: number) => body.length > 0 && body.every((row) => /^\d/.test(row[i] ?? ''));
  const line = (cells: readonly string[]) => `${indent}| ${cells.join(' | ')} |`;
  return [
    line(header),
    line(header.map((_, i) => (i > 0 && isFigures(i) ? '---:' : '---'))),
    ...body.map(line),
    '',
  ];
}

function markdownOf(blocks: readonly DocBlock[], depth = 0): string[] {
  const indent = '  '.repeat(depth);
  return blocks.flatMap((block): string[] => {
    switch (block.kind) {
      case 'heading':
        return ['', `${'#'.repeat(block.level)} ${inline(block.runs)}`, ''];
      case 'paragraph':
        return [`${indent}${inline(block.runs)}`, '', ...markdownOf(block.children ?? [], depth + 1)];
      case 'bullet':
        return [`${indent}- ${inline(block.runs)}`, ...markdownOf(block.children ?? [], depth + 1)];
      case 'numbered':
        return [`${indent}1. ${inline(block.runs)}`, ...markdownOf(block.children ?? [], depth + 1)];
      case 'todo':
        return [
          `${indent}- [${block.checked ? 'x' : ' '}] ${inline(block.runs)}`,
          ...markdownOf(block.children ?? [], depth + 1),
        ];
      case 'quote':
        return [`${indent}> ${inline(block.runs)}`, '', ...markdownOf(block.children ?? [], depth + 1)];
      case 'code':
        return [`\`\`\`${block.language.replace(/\s/g, '')}`, inline(block.runs), '```', ''];
      case 'divider':
        return ['---', ''];
      case 'table':
        return ['', ...markdownTable(block, indent)];
      default:
        return block satisfies never;
    }
  });
}

const HEADER_TABLE = ['| property | value |', '| --- | --- |'] as const;
/** The header table's rows, in order; the ones that follow the incident are rewritten by a refresh. */
const PROPERTY_ROWS = [
  'Jira',
  'Severity',
  'Status',
  'Incident start',
  'Resolved',
  'Time to resolve',
  'Time to acknowledge',
] as const;
type PropertyRow = (typeof PROPERTY_ROWS)[number];
/** What people set (Status) or what never changes (Jira) is theirs: a refresh leaves those rows alone. */
const REFRESHED_ROWS: ReadonlySet<string> = new Set<PropertyRow>([
  'Severity',
  'Incident start',
  'Resolved',
  'Time to resolve',
  'Time to acknowledge',
]);

function propertyValues(draft: PostmortemDraft): Record<PropertyRow, string | null> {
  return {
    Jira: draft.jiraUrl,
    Severity: draft.severity,
    Status: 'Draft',
    'Incident start': new Date(draft.incidentStartMs).toISOString(),
    Resolved: draft.resolvedAtMs === null ? null : new Date(draft.resolvedAtMs).toISOString(),
    'Time to resolve': draft.timeToResolve,
    'Time to acknowledge': draft.timeToAcknowledge,
  };
}

const propertyRow = (name: string, value: string) => `| ${cell(name)} | ${cell(value)} |`;
/** A header-table row, its name captured; a `\|` inside a cell is text, not a border. */
const PROPERTY_ROW = /^\|\s*((?:[^|\\]|\\.)*?)\s*\|.*\|\s*$/;

/** The postmortem as Markdown, with its properties as a header table. */
export function postmortemMarkdown(draft: PostmortemDraft): string {
  const values = propertyValues(draft);
  const table = [
    ...HEADER_TABLE,
    ...PROPERTY_ROWS.flatMap((name) => {
      const value = values[name];
      return value === null ? [] : [propertyRow(name, value)];
    }),
  ];
  const markdown = [`# ${draft.title}`, '', ...table, ...markdownOf(draft.blocks)]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
  return `${markdown.trimEnd()}\n`;
}

/**
 * The Markdown with its header table's incident rows (Severity, Incident start, Resolved, Time to
 * resolve and to acknowledge) set to the draft's; every other line, the table's other rows included,
 * stays as people left it. A file whose header table was removed gets one back under its title.
 */
export function refreshedPostmortemMarkdown(markdown: string, draft: PostmortemDraft): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex(
    (line, i) => line.trim() === HEADER_TABLE[0] && lines[i + 1]?.trim() === HEADER_TABLE[1],
  );
  const titleAt = lines.findIndex((line) => line.startsWith('# '));
  const rowsAt = start < 0 ? titleAt + 1 : start + 2;
  let end = rowsAt;
  while (start >= 0 && end < lines.length && PROPERTY_ROW.test(lines[end] ?? '')) end += 1;
  const kept = new Map(
    lines
      .slice(rowsAt, end)
      .map((line) => [PROPERTY_ROW.exec(line)?.[1]?.replaceAll('\\|', '|') ?? '', line]),
  );
  const values = propertyValues(draft);
  const known: readonly string[] = PROPERTY_ROWS;
  const rows = [
    ...PROPERTY_ROWS.flatMap((name) => {
      const value = values[name];
      const line = REFRESHED_ROWS.has(name) ? value && propertyRow(name, value) : kept.get(name);
      return line ? [line] : [];
    }),
    ...[...kept].filter(([name]) => !known.includes(name)).map(([, line]) => line),
  ];
  const table =
    start >= 0
      ? rows
      : [...(rowsAt > 0 ? [''] : []), ...HEADER_TABLE, ...rows, ...(lines[rowsAt] === '' ? [] : [''])];
  return [...lines.slice(0, rowsAt), ...table, ...lines.slice(end)].join('\n');
}

/**
 * The postmortem writer of local mode (no Notion token): one Markdown file per incident under
 * DATA_DIR/postmortems, written once; a file already there is the postmortem and is left alone, but
 * for the header table's incident rows, which a refresh keeps current.
 */
export function createMarkdownPostmortemWriter(dir: string): PostmortemWriter {
  const pathOf = (incidentKey: string) => containedPath(dir, `${incidentKey}.md`);
  return {
    async write(draft) {
      mkdirSync(dir, { recursive: true });
      const path = pathOf(draft.incidentKey);
      const url = pathToFileURL(path).href;
      if (existsSync(path)) return { id: draft.incidentKey, url, created: false };
      writeFileSync(path, postmortemMarkdown(draft), { flag: 'wx' });
      return { id: draft.incidentKey, url, created: true };
    },
    async refreshProperties(postmortem, draft) {
      const path = pathOf(postmortem.id);
      // A file someone deleted is not brought back: the postmortem is theirs to keep or drop.
      if (!existsSync(path)) return;
      const markdown = readFileSync(path, 'utf8');
      const refreshed = refreshedPostmortemMarkdown(markdown, draft);
      if (refreshed !== markdown) writeFileSync(path, refreshed);
    },
  };
}
