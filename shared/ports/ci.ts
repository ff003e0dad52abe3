import type { CiActivity } from '../domain/ci-activity.ts';
import type { CiStreak } from '../domain/ci-streaks.ts';
import type { FixLink } from '../domain/fix-links.ts';
import type { TicketRef } from '../domain/follow-ups.ts';

/** The failing streaks of watched workflows, one per workflow and branch. */
export interface CiStreaks {
  streakOf(streakKey: string): Promise<CiStreak | null>;
  /** Saves the streak if it is still at `expectedVersion` (0: none yet); false when another write came first. */
  saveStreak(streak: CiStreak, expectedVersion: number): Promise<boolean>;
}

/** The webhook deliveries already handled (GitHub's X-GitHub-Delivery, GitLab's X-Gitlab-Event-UUID). */
export interface CiDeliveries {
  isHandled(source: string, deliveryId: string): Promise<boolean>;
  /** Marks a delivery handled once all it asked for is done; a redelivery is then a duplicate. */
  markHandled(source: string, deliveryId: string, atMs: number): Promise<void>;
}

/** The pull and merge requests that name incidents. */
export interface FixLinks {
  /** Stores a link once per change, incident and what happened. */
  recordFix(fix: FixLink): Promise<'stored' | 'duplicate'>;
  /** An incident's fix links, oldest first. */
  fixesOf(incidentKey: string): Promise<FixLink[]>;
}

/** What a new incident says; `label` marks it so that a retry finds it instead of opening another. */
export interface DeployIncidentDraft {
  readonly label: string;
  readonly summary: string;
  readonly description: readonly (readonly { readonly text: string; readonly url?: string }[])[];
}

/**
 * Opens incidents in the team's tracker, in the incident issue type and the detection status, once
 * per label. (The alerts intake has its own; this is the small one CI needs.)
 */
export interface DeployIncidentOpener {
  openIncident(draft: DeployIncidentDraft): Promise<TicketRef>;
}

/** What CI did, kept for the weekly report and read back by time range: a few queries, never a scan. */
export interface CiActivityLog {
  /** Keeps an activity once by its identity (`ciActivityId`); recording it again changes nothing. */
  recordActivity(activity: CiActivity): Promise<void>;
  /** The activities with startMs <= atMs < endMs, oldest first. */
  activityBetween(startMs: number, endMs: number): Promise<CiActivity[]>;
}
