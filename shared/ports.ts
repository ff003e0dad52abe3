// The ports, one file per concern under ports/; this module gathers them so callers import from one place.

export type * from './ports/alerts.ts';
export type * from './ports/ci.ts';
export type * from './ports/deliveries.ts';
export type * from './ports/event-store.ts';
export type * from './ports/events.ts';
export type * from './ports/follow-ups.ts';
export type * from './ports/incident-opener.ts';
export type * from './ports/incident-states.ts';
export type * from './ports/issue-tracker.ts';
export type * from './ports/log.ts';
export type * from './ports/notifications.ts';
export type * from './ports/postmortems.ts';
export type * from './ports/reconciling.ts';
export type * from './ports/status-site.ts';
export type * from './ports/subscriptions.ts';
export type * from './ports/weekly-report.ts';
