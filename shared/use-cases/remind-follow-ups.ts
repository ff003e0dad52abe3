import { dayIn, daysBetween, type FollowUp } from '../domain/follow-ups.ts';
import { plural } from '../domain/plural.ts';
import type { DeliveryRecords, FollowUpStore, Log, Notifier, TicketTracker } from '../ports.ts';
import type { Settings } from '../settings.ts';

export interface ReminderDeps {
  readonly followUps: FollowUpStore;
  readonly tracker: TicketTracker;
  readonly settings: Settings;
  readonly nowMs: () => number;
  readonly log: Log;
  /**
   * Sends the day's list of overdue follow-ups to keep-informed by email, recording it (under the
   * `follow-ups` partition) so a second run on one day sends nothing new; absent, only Jira comments.
   */
  readonly overdueList?: {
    readonly notifier: Notifier;
    readonly deliveries: DeliveryRecords;
  };
}

/** Where the overdue lists' deliveries are recorded, beside the incidents' own. */
export const FOLLOW_UP_DELIVERIES = 'follow-ups';

export interface ReminderOutcome {
  /** False outside working hours (weekdays, settings.followUps.workingHours, team time zone). */
  inWorkingHours: boolean;
  reminded: string[];
  earlyReminded: string[];
  overdue: { readonly key: string; readonly owner: string | null; readonly daysOverdue: number }[];
  listSent: boolean;
}

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'];

/** Whether an instant is a weekday within the working hours, in the team's time zone. */
export function isWorkingTime(ms: number, timeZone: string, hours: { start: number; end: number }): boolean {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(ms);
  const weekday = parts.find((part) => part.type === 'weekday')?.value ?? '';
  const hour = Number(parts.find((part) => part.type === 'hour')?.value ?? -1);
  return WEEKDAY_NAMES.includes(weekday) && hour >= hours.start && hour < hours.end;
}

/** The list of overdue follow-ups as the keep-informed email says it: one line each, worst first. */
export function overdueListText(overdue: ReminderOutcome['overdue'], today: string): string {
  return [
    `Follow-ups past their due date on ${today}:`,
    '',
    ...overdue.map(
      (line) =>
        `  ${line.key.padEnd(12)} ${String(line.daysOverdue).padStart(3)} days overdue   ${line.owner ?? 'no owner'}`,
    ),
    '',
    'Each owner was reminded in Jira. Debts get paid, not listed: close them or agree a new date.',
  ].join('\n');
}

/**
 * The daily chase, in working hours only: each open follow-up past its due date gets a Jira comment
 * that @mentions its assignee (so Jira's own notifications reach them), at most once per
 * `remindEveryDays`; one due within `earlyReminderDays` gets one early reminder; the day's overdue
 * list goes to keep-informed by email once.
 */
export async function remindFollowUps(deps: ReminderDeps): Promise<ReminderOutcome> {
  const { settings, tracker, followUps, log } = deps;
  const nowMs = deps.nowMs();
  const rules = settings.followUps;
  const outcome: ReminderOutcome = {
    inWorkingHours: false,
    reminded: [],
    earlyReminded: [],
    overdue: [],
    listSent: false,
  };
  if (!isWorkingTime(nowMs, settings.timeZone, rules.workingHours)) {
    log.info('outside working hours: no reminders', { timeZone: settings.timeZone });
    return outcome;
  }
  outcome.inWorkingHours = true;
  const today = dayIn(nowMs, settings.timeZone);
  const open = (await followUps.openFollowUps()).sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  const mention = (followUp: FollowUp) =>
    followUp.assigneeAccountId ? { accountId: followUp.assigneeAccountId } : null;

  for (const followUp of open) {
    const daysOverdue = daysBetween(followUp.dueDate, today);
    if (daysOverdue > 0) {
      outcome.overdue.push({ key: followUp.ticketKey, owner: followUp.ownerName, daysOverdue });
      const due =
        followUp.lastReminderAtMs === null ||
        nowMs - followUp.lastReminderAtMs >= rules.remindEveryDays * 86_400_000;
      if (!due) continue;
      await tracker.comment(
        followUp.ticketKey,
        `this follow-up of ${followUp.incidentKey} was due on ${followUp.dueDate} (${plural(daysOverdue, 'day')} ago). Please finish it, or agree a new date and change it here.`,
        mention(followUp),
      );
      await followUps.saveFollowUp({ ...followUp, lastReminderAtMs: nowMs });
      outcome.reminded.push(followUp.ticketKey);
    } else if (-daysOverdue <= rules.earlyReminderDays && !followUp.earlyReminderSent) {
      await tracker.comment(
        followUp.ticketKey,
        `this follow-up of ${followUp.incidentKey} is due on ${followUp.dueDate}.`,
        mention(followUp),
      );
      await followUps.saveFollowUp({ ...followUp, earlyReminderSent: true });
      outcome.earlyReminded.push(followUp.ticketKey);
    }
  }

  const list = deps.overdueList;
  if (outcome.overdue.length > 0 && list) {
    const notificationId = `follow-ups#overdue#${today}`;
    const sent = await list.deliveries.loadDeliveries(FOLLOW_UP_DELIVERIES);
    if (!sent.some((delivery) => delivery.notificationId === notificationId)) {
      const body = overdueListText(outcome.overdue, today);
      const deliveries = await list.notifier.notifyGroup({
        notificationId,
        issueKey: 'follow-ups',
        group: 'keep-informed',
        severity: null,
        channels: ['email'],
        subject: `Follow-ups: ${outcome.overdue.length} past due (${today})`,
        email: body,
        sms: '',
      });
      for (const delivery of deliveries) await list.deliveries.recordDelivery(FOLLOW_UP_DELIVERIES, delivery);
      outcome.listSent = true;
    }
  }
  return outcome;
}
