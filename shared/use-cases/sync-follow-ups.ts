import { type FollowUpStep, planDoneSteps, planItemSteps, readyToClose } from '../domain/follow-up-plan.ts';
import {
  type ActionItem,
  addDays,
  dayIn,
  type FollowUp,
  fingerprintOf,
  type ItemOwner,
  itemLabel,
  type TicketRef,
} from '../domain/follow-ups.ts';
import type { IncidentState } from '../domain/timeline.ts';
import { UpstreamUnavailableError } from '../errors.ts';
import type { ActivePostmortem, FollowUpStore, Log, PostmortemPages, TicketTracker } from '../ports.ts';
import type { Settings } from '../settings.ts';

export interface FollowUpSyncDeps {
  readonly followUps: FollowUpStore;
  readonly tracker: TicketTracker;
  readonly pages: PostmortemPages;
  readonly settings: Settings;
  readonly nowMs: () => number;
  readonly log: Log;
  /**
   * The tracker account of an item's owner, or null when there is none: a Notion person through their
   * email and Jira's user search; locally, the @name itself.
   */
  readonly accountOf: (owner: ItemOwner) => Promise<string | null>;
}

/** What one sync did, for its log line and for tests. */
export interface SyncOutcome {
  postmortems: number;
  created: string[];
  updated: string[];
  done: string[];
  removed: string[];
  closedIncidents: string[];
  /** Items left pending, with why (a refused field names its setting); tried again next run. */
  pending: { readonly incidentKey: string; readonly item: string; readonly error: string }[];
}

/**
 * Jira account lookups through the owner's email, remembered for the life of the function instance
 * (a warm Lambda keeps it), so a page with ten items by one person asks once.
 */
export function cachedAccounts(
  pages: PostmortemPages,
  tracker: TicketTracker,
): (owner: ItemOwner) => Promise<string | null> {
  const known = new Map<string, Promise<string | null>>();
  return (owner) => {
    if (owner.kind === 'name') return Promise.resolve(null);
    let lookup = known.get(owner.userId);
    if (!lookup) {
      lookup = pages
        .personEmail(owner.userId)
        .then((email) => (email ? tracker.accountIdByEmail(email) : null));
      lookup.catch(() => known.delete(owner.userId));
      known.set(owner.userId, lookup);
    }
    return lookup;
  };
}

const ownerNameOf = (owner: ItemOwner | null): string | null =>
  owner === null ? null : owner.kind === 'name' ? owner.name : owner.name;

function browseUrl(settings: Settings, key: string): string | undefined {
  return settings.report.jiraBaseUrl ? `${settings.report.jiraBaseUrl}/browse/${key}` : undefined;
}

/** The ticket's description: where it comes from, with links to the incident and the postmortem. */
function descriptionOf(
  item: ActionItem,
  state: IncidentState,
  postmortem: ActivePostmortem,
  settings: Settings,
) {
  const incidentUrl = browseUrl(settings, state.key);
  return [
    [{ text: item.summary }],
    [
      { text: 'A follow-up of incident ' },
      { text: state.key, ...(incidentUrl ? { url: incidentUrl } : {}) },
      { text: ` (${state.summary}), from the action items of its ` },
      { text: 'postmortem', url: postmortem.postmortem.url },
      { text: '.' },
    ],
  ];
}

interface Resolved {
  readonly accountId: string | null;
  readonly ownerName: string | null;
  readonly unresolved: boolean;
}

/** What the steps of one postmortem's sync share. */
interface PostmortemSync {
  readonly deps: FollowUpSyncDeps;
  readonly active: ActivePostmortem;
  readonly state: IncidentState;
  readonly nowMs: number;
  readonly today: string;
}

async function resolve(owner: ItemOwner | null, { deps, state }: PostmortemSync): Promise<Resolved> {
  const accountId = owner === null ? null : await deps.accountOf(owner);
  if (accountId !== null) return { accountId, ownerName: ownerNameOf(owner), unresolved: false };
  // No owner Jira knows: the incident's assignee holds it until someone takes it.
  return {
    accountId: state.assignee?.accountId ?? null,
    ownerName: state.assignee?.displayName ?? ownerNameOf(owner),
    unresolved: true,
  };
}

/** Links, tells the commander when no owner was found, and writes the link into the item. */
async function finish(
  followUp: FollowUp,
  item: ActionItem,
  { deps, state }: PostmortemSync,
): Promise<FollowUp> {
  const { tracker, pages, followUps } = deps;
  await tracker.linkToIncident(followUp.ticketKey, state.key);
  let note: string | null = null;
  if (followUp.ownerUnresolved) {
    const named = ownerNameOf(item.owner);
    const holder = state.assignee?.displayName ?? 'nobody';
    note = named
      ? `no Jira account found for ${named}: assigned to ${holder}`
      : `no owner: assigned to ${holder}`;
    await tracker.comment(
      state.key,
      `follow-up ${followUp.ticketKey} ("${followUp.summary}") has ${named ? `no Jira account for its owner ${named}` : 'no owner'}; it is assigned to you until someone takes it.`,
      state.assignee?.accountId ? { accountId: state.assignee.accountId } : null,
    );
  }
  await pages.writeBack(item.itemId, { key: followUp.ticketKey, url: followUp.ticketUrl }, note);
  const written = { ...followUp, writtenBack: true };
  await followUps.saveFollowUp(written);
  return written;
}

async function create(item: ActionItem, sync: PostmortemSync, outcome: SyncOutcome): Promise<FollowUp> {
  const { deps, active, state, nowMs, today } = sync;
  const { tracker, settings } = deps;
  const owner = await resolve(item.owner, sync);
  const dueDate = item.dueDate ?? addDays(today, settings.followUps.defaultDueDays[state.severity ?? 'SEV4']);
  // After a crash between creating the ticket and recording it, the item's label finds it again.
  const label = itemLabel(item.itemId);
  let ticket: TicketRef | null = item.ticket ?? (await tracker.findByLabel(label));
  if (ticket === null) {
    ticket = await tracker.createTicket({
      summary: item.summary,
      description: descriptionOf(item, state, active, settings),
      assigneeAccountId: owner.accountId,
      dueDate,
      labels: [...settings.followUps.labels, label],
      projectKey: settings.followUps.projectKey ?? state.key.split('-')[0] ?? state.key,
    });
    outcome.created.push(ticket.key);
  }
  const followUp: FollowUp = {
    itemId: item.itemId,
    incidentIssueId: state.issueId,
    incidentKey: state.key,
    ticketKey: ticket.key,
    ticketUrl: ticket.url,
    summary: item.summary,
    assigneeAccountId: owner.unresolved ? null : owner.accountId,
    ownerName: owner.ownerName,
    ownerUnresolved: owner.unresolved,
    dueDate,
    dueDateSource: item.dueDate ? 'item' : 'severity-default',
    state: 'open',
    createdAtMs: nowMs,
    doneAtMs: null,
    fingerprint: fingerprintOf(item),
    writtenBack: false,
    itemRemovedAtMs: null,
    lastReminderAtMs: null,
    earlyReminderSent: false,
  };
  await deps.followUps.saveFollowUp(followUp);
  return finish(followUp, item, sync);
}

async function update(
  step: Extract<FollowUpStep, { kind: 'update' }>,
  sync: PostmortemSync,
  outcome: SyncOutcome,
): Promise<FollowUp> {
  const { item } = step;
  const current = step.writeBack ? await finish(step.followUp, item, sync) : step.followUp;
  if (!step.edit) return current;
  const owner = await resolve(item.owner, sync);
  const dueDate = item.dueDate ?? current.dueDate;
  await sync.deps.tracker.updateTicket(current.ticketKey, {
    summary: item.summary,
    assigneeAccountId: owner.accountId,
    dueDate,
  });
  const updated: FollowUp = {
    ...current,
    summary: item.summary,
    assigneeAccountId: owner.unresolved ? null : owner.accountId,
    ownerName: owner.ownerName,
    ownerUnresolved: owner.unresolved,
    dueDate,
    dueDateSource: item.dueDate ? 'item' : current.dueDateSource,
    fingerprint: fingerprintOf(item),
  };
  await sync.deps.followUps.saveFollowUp(updated);
  outcome.updated.push(updated.ticketKey);
  return updated;
}

/** Carries out one step and returns the follow-up as it now stands. */
async function apply(step: FollowUpStep, sync: PostmortemSync, outcome: SyncOutcome): Promise<FollowUp> {
  const { deps, active, state, nowMs } = sync;
  switch (step.kind) {
    case 'create':
      return create(step.item, sync, outcome);
    case 'update':
      return update(step, sync, outcome);
    case 'note-removed': {
      await deps.tracker.comment(
        step.followUp.ticketKey,
        `Its action item was removed from the postmortem of ${state.key} (${active.postmortem.url}). Incident Flow leaves this ticket as it is: close it if it is no longer needed.`,
      );
      const removed = { ...step.followUp, itemRemovedAtMs: nowMs };
      await deps.followUps.saveFollowUp(removed);
      outcome.removed.push(removed.ticketKey);
      return removed;
    }
    case 'mark-done': {
      if (step.checkItem) await deps.pages.setChecked(step.followUp.itemId, true);
      const done: FollowUp = { ...step.followUp, state: 'done', doneAtMs: nowMs };
      await deps.followUps.saveFollowUp(done);
      outcome.done.push(done.ticketKey);
      return done;
    }
    default:
      return step satisfies never;
  }
}

/** Sync of one postmortem: its items, its removed items, its done tickets, maybe its incident's close. */
async function syncPostmortem(
  active: ActivePostmortem,
  deps: FollowUpSyncDeps,
  outcome: SyncOutcome,
): Promise<void> {
  const { followUps, tracker, pages, settings, log } = deps;
  const state = await followUps.incidentState(active.issueId);
  if (state === null || state.deleted || state.stage === 'closed') {
    await followUps.retirePostmortem(active.issueId);
    return;
  }
  const pageId = active.postmortem.id;
  const status = await pages.status(pageId);
  if (status !== active.status) await followUps.savePostmortemStatus(active.issueId, status);
  const items = await pages.actionItems(pageId);
  const recorded = await followUps.followUpsOfIncident(active.issueId);
  const known = new Map(recorded.map((f) => [f.itemId, f]));
  const nowMs = deps.nowMs();
  const sync: PostmortemSync = { deps, active, state, nowMs, today: dayIn(nowMs, settings.timeZone) };

  for (const step of planItemSteps(items, recorded)) {
    if (step.kind === 'note-removed') {
      known.set(step.followUp.itemId, await apply(step, sync, outcome));
      continue;
    }
    // An item that fails stays pending for the next run; the others go on.
    try {
      known.set(step.item.itemId, await apply(step, sync, outcome));
    } catch (error) {
      if (error instanceof UpstreamUnavailableError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      outcome.pending.push({ incidentKey: state.key, item: step.item.summary, error: message });
      log.error('an action item stays pending', {
        incidentKey: state.key,
        itemId: step.item.itemId,
        error: message,
      });
    }
  }

  const open = [...known.values()].filter((followUp) => followUp.state === 'open');
  const ticketStates = open.length > 0 ? await tracker.ticketStates(open.map((f) => f.ticketKey)) : new Map();
  for (const step of planDoneSteps([...known.values()], items, ticketStates)) {
    known.set(step.followUp.itemId, await apply(step, sync, outcome));
  }

  if (readyToClose([...known.values()], status, settings.followUps.closeIncidentWhenDone)) {
    const closed = settings.board.statuses.find((candidate) => candidate.stage === 'closed');
    if (closed && (await tracker.transitionTo(state.key, closed.name)))
      outcome.closedIncidents.push(state.key);
    else
      log.warn('no transition leads the incident to its closed status', {
        incidentKey: state.key,
        status: closed?.name,
      });
  }
}

/**
 * Reads the action items of every postmortem of an incident not yet closed and keeps their tickets in
 * step: each unchecked item becomes a ticket once (by its id, even across a crash between creating the
 * ticket and recording it: the item's label finds it), an edited item updates its ticket, a removed one
 * leaves its ticket with a comment saying so, a done ticket checks its to-do. Jira or Notion being
 * unavailable stops the run; what was not done is done next run.
 */
export async function syncFollowUps(deps: FollowUpSyncDeps): Promise<SyncOutcome> {
  const outcome: SyncOutcome = {
    postmortems: 0,
    created: [],
    updated: [],
    done: [],
    removed: [],
    closedIncidents: [],
    pending: [],
  };
  const active = await deps.followUps.activePostmortems();
  for (const postmortem of active) {
    await syncPostmortem(postmortem, deps, outcome);
    outcome.postmortems += 1;
  }
  return outcome;
}
