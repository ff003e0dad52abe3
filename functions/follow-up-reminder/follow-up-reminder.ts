import type { Log } from '#shared/ports.ts';
import type { ReminderOutcome } from '#shared/use-cases/remind-follow-ups.ts';

export interface FollowUpReminderDeps {
  readonly remind: () => Promise<ReminderOutcome>;
  readonly log: Log;
}

/** The morning chase of overdue follow-ups; outside working hours it does nothing and says so. */
export function makeFollowUpReminderHandler(deps: FollowUpReminderDeps) {
  return async () => {
    const outcome = await deps.remind();
    deps.log.info('follow-ups reminded', {
      inWorkingHours: outcome.inWorkingHours,
      reminded: outcome.reminded,
      earlyReminded: outcome.earlyReminded,
      overdue: outcome.overdue.length,
      listSent: outcome.listSent,
    });
    return {
      reminded: outcome.reminded.length,
      earlyReminded: outcome.earlyReminded.length,
      overdue: outcome.overdue.length,
    };
  };
}
