import type { AlertStatus, AlertTool } from '../domain/alert.ts';

/** What became of one alert of a delivery. */
export type AlertOutcome =
  | {
      readonly kind: 'incident';
      /** What the alert did to its incident: opened it, joined it, flapped back, cleared, or joined the storm. */
      readonly step: 'open' | 'fired-again' | 'flapping' | 'cleared' | 'storm';
      readonly incidentKey: string;
    }
  | { readonly kind: 'noise'; readonly route: string }
  | { readonly kind: 'unrouted' }
  | { readonly kind: 'recorded' };

/** One alert of a received delivery, as kept: enough to report on it without the payload. */
export interface ReceivedAlert {
  readonly identity: string;
  readonly name: string;
  readonly status: AlertStatus;
  readonly startsAtMs: number | null;
  readonly outcome: AlertOutcome;
}

/** A delivery as received: kept whatever became of it, so nothing an alerting tool sends is dropped. */
export interface ReceivedDelivery {
  readonly deliveryId: string;
  readonly tool: AlertTool;
  readonly receivedAtMs: number;
  readonly alerts: readonly ReceivedAlert[];
}

/** Where an incident opened from alerts came from: shown by the API and in the postmortem's timeline. */
export interface AlertSource {
  readonly incidentKey: string;
  readonly tool: AlertTool;
  readonly alertName: string;
  readonly links: readonly { readonly kind: string; readonly url: string }[];
  /** When the problem started by the tool's clock; null when it did not say. */
  readonly startsAtMs: number | null;
  readonly openedAtMs: number;
  /** When its alerts last cleared (null while firing or never cleared). */
  readonly clearedAtMs: number | null;
}

/** What the store knows of an alert identity: its incident, and that incident's last alert comment. */
export interface RememberedAlert {
  readonly incidentKey: string;
  readonly lastCommentAtMs: number | null;
}

/** The alert intake's memory: deliveries received, identities → incidents, the storm. */
export interface AlertStore {
  /** Keeps a delivery and each alert's outcome; a delivery id already kept is kept once. */
  recordDelivery(delivery: ReceivedDelivery): Promise<void>;
  /** The deliveries received in [fromMs, toMs), oldest first. */
  deliveriesBetween(fromMs: number, toMs: number): Promise<ReceivedDelivery[]>;
  /** What is known of each identity asked for; unknown identities are absent from the map. */
  recall(identities: readonly string[]): Promise<Map<string, RememberedAlert>>;
  /** Ties identities to an incident (a later call for the same identity moves it to the newer incident). */
  remember(identities: readonly string[], incidentKey: string): Promise<void>;
  /** Notes that an alert comment was made on the incident at this time. */
  commented(incidentKey: string, atMs: number): Promise<void>;
  /** Notes an incident opened from alerts at this time, with where it came from. */
  opened(source: AlertSource): Promise<void>;
  /** How many incidents were opened from alerts in [fromMs, toMs). */
  openedBetween(fromMs: number, toMs: number): Promise<number>;
  /** The source of an incident opened from alerts; null for any other incident. */
  sourceOf(incidentKey: string): Promise<AlertSource | null>;
  /** Notes when an incident's alerts cleared. */
  cleared(incidentKey: string, atMs: number): Promise<void>;
  /** The "alert storm" incident alerts join while it is open; null when none was opened. */
  stormIncident(): Promise<string | null>;
  saveStormIncident(incidentKey: string): Promise<void>;
}
