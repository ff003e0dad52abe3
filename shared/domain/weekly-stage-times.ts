import { STAGES, type Stage, type StatusMapping, stageRank } from './lifecycle.ts';
import { median } from './percentile.ts';
import type { IncidentState, StageVisit } from './timeline.ts';

/** The median time the week's resolved incidents spent in one of the board's statuses. */
export type StageTime = {
  /** As the report shows it: the status, and its stage in parentheses when the names differ. */
  readonly label: string;
  readonly status: string;
  readonly stage: Stage;
  /** The incidents that visited the status before the week's end. */
  readonly count: number;
  readonly medianMs: number;
};

type Row = { readonly status: string; readonly stage: Stage; readonly order: number };

/** The board's row of a visit: its status by name (any case), else the one status of its stage, else its own. */
function rowOf(visit: StageVisit, statuses: readonly StatusMapping[]): Row {
  const name = visit.status.toLowerCase();
  let index = statuses.findIndex((status) => status.name.toLowerCase() === name);
  // A status renamed in Jira is still found by its stage when only one status has that stage.
  if (index === -1 && statuses.filter((status) => status.stage === visit.stage).length === 1)
    index = statuses.findIndex((status) => status.stage === visit.stage);
  const mapped = statuses[index];
  if (mapped) return { status: mapped.name, stage: mapped.stage, order: index };
  return {
    status: visit.status,
    stage: visit.stage,
    order: statuses.length + (stageRank(visit.stage) ?? STAGES.length),
  };
}

/**
 * An incident's time per status up to `asOfMs`: every visit summed, a visit still open at `asOfMs`
 * counted up to it, except in the closed stage (a closed incident waits in no stage), and visits
 * begun after it left out.
 */
function timePerRow(incident: IncidentState, statuses: readonly StatusMapping[], asOfMs: number) {
  const totals = new Map<string, { row: Row; ms: number }>();
  for (const visit of incident.visits) {
    if (visit.enteredAtMs >= asOfMs) continue;
    if (visit.leftAtMs === null && visit.stage === 'closed') continue;
    const leftAtMs = Math.min(visit.leftAtMs ?? asOfMs, asOfMs);
    const row = rowOf(visit, statuses);
    const total = totals.get(row.status)?.ms ?? 0;
    totals.set(row.status, { row, ms: total + (leftAtMs - visit.enteredAtMs) });
  }
  return [...totals.values()];
}

const labelOf = (row: Row): string =>
  row.status.toLowerCase() === row.stage.toLowerCase() || stageRank(row.stage) === undefined
    ? row.status
    : `${row.status} (${row.stage})`;

/**
 * Time in stage, listed under the board's status names in board order (statuses the board does not
 * map last): for each status, the median over the incidents that visited it of their time there,
 * summed over visits and counted up to `asOfMs` (the week's end, or the report's moment for the week
 * in progress), an open visit included.
 */
export function stageTimes(
  incidents: readonly IncidentState[],
  statuses: readonly StatusMapping[],
  asOfMs: number,
): StageTime[] {
  const byRow = new Map<string, { row: Row; values: number[] }>();
  for (const incident of incidents) {
    for (const { row, ms } of timePerRow(incident, statuses, asOfMs)) {
      const entry = byRow.get(row.status) ?? { row, values: [] };
      byRow.set(row.status, { row, values: [...entry.values, ms] });
    }
  }
  return [...byRow.values()]
    .sort((a, b) => a.row.order - b.row.order || (a.row.status < b.row.status ? -1 : 1))
    .map(({ row, values }) => ({
      label: labelOf(row),
      status: row.status,
      stage: row.stage,
      count: values.length,
      medianMs: median(values) ?? 0,
    }));
}
