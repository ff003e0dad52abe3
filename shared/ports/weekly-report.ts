import type { Deployment } from '../domain/deployments.ts';
import type { ReportEmail } from '../domain/weekly-report-email.ts';
import type { WeekSummary } from '../domain/weekly-trend.ts';

/** The headline figures of weeks that are over, kept so a report's trend does not refold a month. */
export interface WeekSummaries {
  /** The stored headline figures of past weeks, by week id; weeks without one are absent. */
  getWeekSummaries(weekIds: readonly string[]): Promise<Map<string, WeekSummary>>;
  saveWeekSummary(weekId: string, summary: WeekSummary): Promise<void>;
  /** Drops stored summaries that a late change to an incident made stale. */
  forgetWeekSummaries(weekIds: readonly string[]): Promise<void>;
}

/** Deployments a CI/CD pipeline reported, for the change failure rate. */
export interface DeploymentStore {
  /** Stores a deployment once by its id and time; a second report of it is a duplicate. */
  recordDeployment(deployment: Deployment): Promise<'stored' | 'duplicate'>;
  /** Deployments with startMs <= atMs < endMs. */
  listDeployments(startMs: number, endMs: number): Promise<Deployment[]>;
}

/** Sends a finished report to its readers (the weekly-report topic's email subscribers). */
export interface ReportPublisher {
  publish(subject: string, body: string): Promise<{ readonly messageId: string }>;
}

/** Sends the weekly HTML email (with its plain-text alternative) to the report's readers. */
export interface ReportMailer {
  send(email: ReportEmail): Promise<{ readonly messageId: string }>;
}

/** Which weekly reports went out, so a schedule that fires twice sends one email. */
export interface ReportLedger {
  sentMessageId(weekId: string): Promise<string | null>;
  recordSent(weekId: string, messageId: string): Promise<void>;
}
