import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A shell command a page shows, as a reader would type it (continuation lines and heredocs joined). */
export interface DocCommand {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  /** What a `# needs …` comment says the command needs, on its line or above it in its block. */
  readonly needs: string | null;
}

/** What the pages hold: their commands, and what breaks the rule (a fence naming no language). */
export interface DocScan {
  readonly commands: readonly DocCommand[];
  readonly problems: readonly string[];
}

/** What the doc test does with a command, or one `&&` part of it. */
export type CommandPlan =
  | { readonly kind: 'install' }
  | { readonly kind: 'serve' }
  | { readonly kind: 'run' }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'unknown' };

const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console']);
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;

/**
 * Commands that stay unrun: the whole list, kept small on purpose. Anything else a page shows must be
 * one the test runs, or carry a `# needs …` comment.
 */
export const SKIPPED: readonly { readonly pattern: RegExp; readonly reason: string }[] = [
  { pattern: /^aws\s/, reason: 'needs an AWS account' },
  { pattern: /^npx cdk (bootstrap|deploy|destroy|import)\b/, reason: 'needs an AWS account' },
  { pattern: /^npm test$/, reason: 'is the suite that runs this test: it would recurse' },
];

const INSTALL = /^npm (install|ci)$/;
const SERVE = /^(npm start|npx incident-flow start)$/;
const RUN = [/^npm run (demo|sync|schema)$/, /^npx incident-flow(\s|$)/];

/** The markdown files a newcomer reads: README.md and everything under docs/. */
export function docFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.name.endsWith('.md') ? [path] : [];
    });
  return [join(root, 'README.md'), ...walk(join(root, 'docs')).sort()].map((path) => relative(root, path));
}

/** Scans the files (paths relative to root) for commands; see docs/testing.md for the rule. */
export function scanDocs(root: string, files: readonly string[]): DocScan {
  const scans = files.map((file) => scanMarkdown(file, readFileSync(join(root, file), 'utf8')));
  return { commands: scans.flatMap((s) => s.commands), problems: scans.flatMap((s) => s.problems) };
}

/** The commands of one markdown text: every line of a sh/bash/shell block, `$ ` lines elsewhere. */
export function scanMarkdown(file: string, markdown: string): DocScan {
  const lines = markdown.split('\n');
  const commands: DocCommand[] = [];
  const problems: string[] = [];
  let fence: { marker: string; indent: number; language: string; needs: string | null } | null = null;
  let i = 0;
  while (i < lines.length) {
    const raw = lines[i] ?? '';
    const opening = FENCE.exec(raw);
    if (fence === null) {
      if (opening) {
        const [, indent = '', marker = '', language = ''] = opening;
        if (language === '')
          problems.push(`${file}:${i + 1}: a fence that names no language (sh, text, json…)`);
        fence = { marker, indent: indent.length, language, needs: null };
      } else if (/^\s*\$ /.test(raw)) {
        const { text, next } = joinCommand(lines, i, raw.trim().slice(2), 0);
        commands.push({ file, line: i + 1, text: withoutComment(text), needs: needsOf(text) });
        i = next;
        continue;
      }
      i += 1;
      continue;
    }
    if (opening && raw.trim() === opening[2] && opening[2].startsWith(fence.marker)) {
      fence = null;
      i += 1;
      continue;
    }
    const line = raw.slice(Math.min(fence.indent, raw.length - raw.trimStart().length));
    const trimmed = line.trim();
    const isShell = SHELL_LANGUAGES.has(fence.language);
    if (!isShell || trimmed === '') {
      i += 1;
      continue;
    }
    if (trimmed.startsWith('#')) {
      fence.needs = needsOf(trimmed) ?? fence.needs;
      i += 1;
      continue;
    }
    if (fence.language === 'console' && !trimmed.startsWith('$ ')) {
      i += 1; // the output a console block shows
      continue;
    }
    const start = trimmed.startsWith('$ ') ? trimmed.slice(2) : trimmed;
    const { text, next } = joinCommand(lines, i, start, fence.indent);
    commands.push({ file, line: i + 1, text: withoutComment(text), needs: needsOf(text) ?? fence.needs });
    i = next;
  }
  if (fence !== null) problems.push(`${file}: a fence left open`);
  return { commands, problems };
}

/** Joins `\` continuations and a heredoc's body to the command's first line. */
function joinCommand(lines: readonly string[], at: number, first: string, indent: number) {
  const strip = (line: string) => line.slice(Math.min(indent, line.length - line.trimStart().length));
  let text = first;
  let next = at + 1;
  while (text.endsWith('\\') && next < lines.length) {
    text = `${text.slice(0, -1).trimEnd()} ${strip(lines[next] ?? '').trim()}`;
    next += 1;
  }
  const heredoc = /<<-?\s*'?"?(\w+)'?"?/.exec(text);
  if (heredoc) {
    const body: string[] = [];
    while (next < lines.length && strip(lines[next] ?? '').trim() !== heredoc[1]) {
      body.push(strip(lines[next] ?? ''));
      next += 1;
    }
    text = [text, ...body, heredoc[1]].join('\n');
    next += 1;
  }
  return { text, next };
}

/** A first line cut at its `#` comment, if it has one outside quotes. */
function splitComment(line: string): { code: string; comment: string | null } {
  let quote: string | null = null;
  for (let at = 0; at < line.length; at += 1) {
    const char = line[at];
    if (quote !== null) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '#' && (at === 0 || /\s/.test(line[at - 1] ?? ''))) {
      return { code: line.slice(0, at).trimEnd(), comment: line.slice(at + 1).trim() };
    }
  }
  return { code: line, comment: null };
}

/** What a `# needs …` comment on the command's first line says it needs. */
function needsOf(text: string): string | null {
  const { comment } = splitComment(text.split('\n')[0] ?? '');
  return comment !== null && /^needs\b/.test(comment) ? comment : null;
}

/** The command without the comment on its first line (a note for the reader, not for the shell). */
function withoutComment(text: string): string {
  const [first = '', ...rest] = text.split('\n');
  return [splitComment(first).code, ...rest].join('\n');
}

/** One `&&` part of a command and what the doc test does with it. */
export interface CommandStep {
  readonly text: string;
  readonly plan: CommandPlan;
}

/** The steps of a command in order; a command with a skipped part is skipped whole. */
export function stepsOf(command: DocCommand): CommandStep[] {
  if (command.needs !== null) return [{ text: command.text, plan: { kind: 'skip', reason: command.needs } }];
  const parts = command.text.includes('\n') ? [command.text] : command.text.split(/\s+&&\s+/);
  const steps = parts.map((text) => ({ text, plan: planPart(text) }));
  const skipped = steps.find((step) => step.plan.kind === 'skip');
  return skipped ? [{ text: command.text, plan: skipped.plan }] : steps;
}

function planPart(part: string): CommandPlan {
  const program = part.replace(/^(\w+=\S+\s+)+/, '').trim();
  const skipped = SKIPPED.find(({ pattern }) => pattern.test(program));
  if (skipped) return { kind: 'skip', reason: skipped.reason };
  if (INSTALL.test(program)) return { kind: 'install' };
  if (SERVE.test(program)) return { kind: 'serve' };
  if (RUN.some((pattern) => pattern.test(program))) return { kind: 'run' };
  return { kind: 'unknown' };
}
