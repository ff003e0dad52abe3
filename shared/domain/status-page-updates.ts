import type { IncidentEvent } from './events.ts';
import { isKnownStage, type Stage } from './lifecycle.ts';
import { customerStage } from './notification-messages.ts';
import type { StatusBoard, StatusPageOptions, UpdatePhase } from './status-page-states.ts';
import { isOngoing } from './status-page-states.ts';
import type { IncidentState } from './timeline.ts';

/** One update customers read on an incident: its phase, when, and customer-safe words. */
export interface PublicUpdate {
  /** Stable across rebuilds: the stage visit's start or the comment's id. */
  readonly id: string;
  readonly phase: UpdatePhase;
  readonly atMs: number;
  readonly text: string;
  readonly source: 'stage' | 'comment';
}

/** A comment the team marked public, as last edited, not deleted. */
export interface PublicComment {
  readonly commentId: string;
  readonly createdMs: number;
  readonly text: string;
}

const MENTION = /\[~[^\]]*\]/g;
const WIKI_LINK = /\[([^|\]]*)\|[^\]]*\]/g;
const URL = /\b(?:https?|ftp):\/\/\S+|\bwww\.\S+/gi;

/**
 * The words of a public comment, without anything that could point inside: mentions of people and
 * every link (a Jira, Confluence or Notion address tells customers nothing and may expose names).
 */
export function scrubPublicText(text: string): string {
  return text
    .replace(MENTION, '')
    .replace(WIKI_LINK, '$1')
    .replace(URL, '')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The text after the public prefix, when the comment starts with it (any case); else null. */
function afterPrefix(body: string, prefix: string): string | null {
  const trimmed = body.trimStart();
  if (prefix === '' || trimmed.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) return null;
  return trimmed.slice(prefix.length);
}

/** A comment's words for customers, or null when it stays internal. */
function publicWords(
  comment: { readonly body: string; readonly jsdPublic: boolean | undefined },
  prefix: string,
  jsmPublic: boolean,
): string | null {
  // Only JSM's internal notes are ever false (Jira defaults the flag to true): never published.
  if (comment.jsdPublic === false) return null;
  const prefixed = afterPrefix(comment.body, prefix);
  if (prefixed !== null) return prefixed;
  return jsmPublic && comment.jsdPublic === true ? comment.body : null;
}

/**
 * The comments the team marked public by starting them with the prefix, or (with `jsmPublic`) shared
 * with customers in Jira Service Management, each as last edited, none deleted, oldest first. Every
 * other comment stays internal, and so does a JSM internal note even with the prefix.
 */
export function publicComments(
  events: readonly IncidentEvent[],
  prefix: string,
  jsmPublic = false,
): PublicComment[] {
  const latest = new Map<
    string,
    { createdMs: number; updatedMs: number; body: string; jsdPublic: boolean | undefined } | null
  >();
  for (const event of events) {
    if (event.kind === 'comment-deleted') latest.set(event.commentId, null);
    if (event.kind !== 'comment-written') continue;
    const seen = latest.get(event.commentId);
    if (seen === null || (seen && seen.updatedMs > event.updatedMs)) continue;
    latest.set(event.commentId, {
      createdMs: event.createdMs,
      updatedMs: event.updatedMs,
      body: event.body,
      jsdPublic: event.jsdPublic,
    });
  }
  const comments: PublicComment[] = [];
  for (const [commentId, comment] of latest) {
    const words = comment ? publicWords(comment, prefix, jsmPublic) : null;
    const text = words === null ? '' : scrubPublicText(words);
    if (comment && text !== '') comments.push({ commentId, createdMs: comment.createdMs, text });
  }
  return comments.sort((a, b) => a.createdMs - b.createdMs || a.commentId.localeCompare(b.commentId));
}

function phaseOf(stage: Stage, options: StatusPageOptions): UpdatePhase | null {
  return isKnownStage(stage) ? options.phases[stage] : null;
}

/**
 * The customer-facing updates of an incident, oldest first: one when it is confirmed, one each time
 * what customers are told changes (a new phase, or a new stage's sentence before resolution), and each
 * public comment in the phase of its moment. Nothing from before the incident was confirmed.
 */
export function publicUpdates(
  state: IncidentState,
  comments: readonly PublicComment[],
  options: StatusPageOptions,
): PublicUpdate[] {
  const confirmedAtMs = state.acknowledgedAtMs;
  if (confirmedAtMs === null) return [];
  const stageUpdates: PublicUpdate[] = [];
  let lastSentence = '';
  // The acknowledging visit starts at `confirmedAtMs`: what came before it stays internal.
  for (const visit of state.visits) {
    if (visit.enteredAtMs < confirmedAtMs) continue;
    const lastPhase = stageUpdates.at(-1)?.phase;
    const current = phaseOf(visit.stage, options) ?? lastPhase ?? 'investigating';
    const { sentence } = customerStage(visit.stage);
    const reopened = lastPhase === 'resolved' && current !== 'resolved';
    const changed =
      lastPhase === undefined ||
      current !== lastPhase ||
      (current !== 'resolved' && sentence !== lastSentence);
    if (!changed) continue;
    stageUpdates.push({
      id: `stage-${visit.enteredAtMs}`,
      phase: current,
      atMs: visit.enteredAtMs,
      text: reopened ? `The problem has come back. ${sentence}` : sentence,
      source: 'stage',
    });
    lastSentence = sentence;
  }
  const phaseAt = (atMs: number): UpdatePhase =>
    stageUpdates.filter((update) => update.atMs <= atMs).at(-1)?.phase ??
    stageUpdates[0]?.phase ??
    'investigating';
  const commentUpdates = comments.map(
    (comment): PublicUpdate => ({
      id: `comment-${comment.commentId}`,
      phase: phaseAt(comment.createdMs),
      atMs: comment.createdMs,
      text: comment.text,
      source: 'comment',
    }),
  );
  return [...stageUpdates, ...commentUpdates].sort((a, b) => a.atMs - b.atMs || a.id.localeCompare(b.id));
}

/** The incident's phase now: resolved once resolved, else its latest stage update's phase. */
export function currentPhase(
  state: IncidentState,
  updates: readonly PublicUpdate[],
  board: StatusBoard,
): UpdatePhase {
  if (!isOngoing(state, board)) return 'resolved';
  const phase = updates.filter((update) => update.source === 'stage').at(-1)?.phase ?? 'investigating';
  return phase === 'resolved' ? 'monitoring' : phase;
}
