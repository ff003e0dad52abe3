import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { dayIn } from '#shared/domain/follow-ups.ts';
import { NotFoundError } from '#shared/errors.ts';
import { decodePathSegment, type HttpResult, httpErrors, json } from '#shared/lambda/http.ts';
import type {
  AlertStore,
  FixLinks,
  FollowUpStore,
  IncidentStates,
  Log,
  PostmortemRecords,
  SendLedger,
} from '#shared/ports.ts';
import { alertSourceView, followUpView, incidentSummaryView, incidentView } from './incident-view.ts';

export interface IncidentApiDeps {
  readonly store: IncidentStates & Pick<SendLedger, 'loadDeliveryLog'> & PostmortemRecords;
  readonly nowMs: () => number;
  readonly log: Log;
  /** The follow-up tickets of incidents, for GET /incidents/:key/follow-ups. */
  readonly followUps?: FollowUpStore;
  readonly timeZone?: string;
  /** The pull and merge requests that name incidents (CI webhooks), shown as the incident's fixes. */
  readonly fixes?: Pick<FixLinks, 'fixesOf'>;
  /** Where incidents opened by alerts came from; absent, every incident's source is unknown. */
  readonly alertSources?: Pick<AlertStore, 'sourceOf'>;
}

const INCIDENT_PATH = /^\/incidents\/([^/]+)\/?$/;
const FOLLOW_UPS_PATH = /^\/incidents\/([^/]+)\/follow-ups\/?$/;

/**
 * GET /incidents and GET /incidents/:key: the folded incidents, read-only. Served by the local server
 * only: this folder has no handler.ts and no Lambda (see its README.md).
 */
export function makeIncidentApiHandler(deps: IncidentApiDeps) {
  return middy<APIGatewayProxyEventV2, HttpResult>(
    async (event: APIGatewayProxyEventV2): Promise<HttpResult> => {
      const path = event.rawPath;
      if (path === '/incidents' || path === '/incidents/') {
        const states = await deps.store.listStates();
        const sources = await Promise.all(
          states.map((state) => deps.alertSources?.sourceOf(state.key) ?? Promise.resolve(null)),
        );
        return json(200, {
          incidents: states.map((state, i) => ({
            ...incidentSummaryView(state),
            source: alertSourceView(sources[i] ?? null)?.kind ?? 'jira',
          })),
        });
      }
      const followUpsOf = FOLLOW_UPS_PATH.exec(path)?.[1];
      if (followUpsOf !== undefined && deps.followUps) {
        const incidentKey = decodePathSegment(followUpsOf);
        const state = await deps.store.getStateByKey(incidentKey);
        if (!state) throw new NotFoundError(`no incident ${incidentKey}`);
        const today = dayIn(deps.nowMs(), deps.timeZone ?? 'UTC');
        const followUps = await deps.followUps.followUpsOfIncident(state.issueId);
        return json(200, { incident: state.key, followUps: followUps.map((f) => followUpView(f, today)) });
      }
      const key = INCIDENT_PATH.exec(path)?.[1];
      if (key === undefined) throw new NotFoundError(`no route ${event.requestContext.http.method} ${path}`);
      const incidentKey = decodePathSegment(key);
      const state = await deps.store.getStateByKey(incidentKey);
      if (!state) throw new NotFoundError(`no incident ${incidentKey}`);
      const [deliveries, postmortem, failure, fixes, alertSource] = await Promise.all([
        deps.store.loadDeliveryLog(state.issueId),
        deps.store.postmortemOf(state.issueId),
        deps.store.postmortemFailureOf(state.issueId),
        deps.fixes?.fixesOf(state.key) ?? [],
        deps.alertSources?.sourceOf(state.key) ?? Promise.resolve(null),
      ]);
      const postmortemStatus = postmortem
        ? { status: 'written' as const, url: postmortem.url }
        : failure
          ? {
              status: 'pending' as const,
              error: failure.error,
              failedAt: new Date(failure.atMs).toISOString(),
            }
          : null;
      return json(200, {
        ...incidentView(state, deps.nowMs(), deliveries, postmortemStatus, fixes),
        source: alertSourceView(alertSource) ?? { kind: 'jira' },
      });
    },
  ).use(httpErrors(deps.log));
}
