import { median } from './percentile.ts';

/** An incident of the week and, when an alert opened it, when that alert started and the incident opened. */
export interface DetectedIncident {
  readonly key: string;
  readonly alert: { readonly startsAtMs: number | null; readonly openedAtMs: number } | null;
}

/** What the alerts of the week came to, alert by alert: the outcome kinds the intake records. */
export type ReceivedOutcomeKind = 'incident' | 'noise' | 'unrouted' | 'recorded';

/** The week's detection figures for the weekly report. */
export interface AlertDetection {
  /** Alerts received in the week (each alert of each delivery). */
  readonly alertsReceived: number;
  /** Incidents the week's alerts opened (a storm incident counts once). */
  readonly incidentsOpened: number;
  /** Alerts routed to "ignore". */
  readonly noiseCount: number;
  /** Alerts no route took (stored and reported). */
  readonly unroutedCount: number;
  /** The week's incidents by how they were opened: by an alert, or by a person (or anything else). */
  readonly bySource: { readonly alert: number; readonly person: number };
  /** Alert start → incident opened, over the week's incidents whose alert gave a start. */
  readonly timeToDetect: {
    readonly count: number;
    readonly medianMs: number | null;
    readonly maxMs: number | null;
  };
}

/** The detection figures from the week's received alerts and its incidents' sources. */
export function alertDetection(
  received: readonly {
    readonly outcome: {
      readonly kind: ReceivedOutcomeKind;
      readonly step?: string;
      readonly incidentKey?: string;
    };
  }[],
  incidents: readonly DetectedIncident[],
): AlertDetection {
  const opened = new Set(
    received.flatMap(({ outcome }) =>
      outcome.kind === 'incident' &&
      (outcome.step === 'open' || outcome.step === 'storm') &&
      outcome.incidentKey
        ? [outcome.incidentKey]
        : [],
    ),
  );
  const detectMs = incidents.flatMap(({ alert }) =>
    alert?.startsAtMs == null ? [] : [Math.max(0, alert.openedAtMs - alert.startsAtMs)],
  );
  const byAlert = incidents.filter((incident) => incident.alert !== null).length;
  return {
    alertsReceived: received.length,
    incidentsOpened: opened.size,
    noiseCount: received.filter(({ outcome }) => outcome.kind === 'noise').length,
    unroutedCount: received.filter(({ outcome }) => outcome.kind === 'unrouted').length,
    bySource: { alert: byAlert, person: incidents.length - byAlert },
    timeToDetect: {
      count: detectMs.length,
      medianMs: median(detectMs),
      maxMs: detectMs.length === 0 ? null : Math.max(...detectMs),
    },
  };
}
