/** The lifecycle stages of an incident, in board order (docs/settings.md). */
export const STAGES = [
  'detection',
  'declaration',
  'categorization',
  'diagnosis',
  'mitigation',
  'resolution',
  'analysis',
  'closed',
] as const;

export type KnownStage = (typeof STAGES)[number];

/** A known stage, or the name of a status the board does not map (kept, never dropped). */
export type Stage = KnownStage | (string & {});

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A Jira status as events carry it: its id when Jira sent one, and its name. */
export interface StatusRef {
  readonly id: string | null;
  readonly name: string;
}

export interface StatusMapping {
  readonly name: string;
  readonly id?: string | undefined;
  readonly stage: KnownStage;
}

/** The part of the settings the lifecycle needs: which status is which stage, which stages count. */
export interface BoardSettings {
  readonly statuses: readonly StatusMapping[];
  readonly acknowledgeStage: KnownStage;
  readonly resolveStage: KnownStage;
}

/** The stage a status belongs to: by status id first, then by name ignoring case; else its own name. */
export function stageOf(status: StatusRef, board: BoardSettings): Stage {
  const byId = status.id === null ? undefined : board.statuses.find((mapping) => mapping.id === status.id);
  if (byId) return byId.stage;
  const name = status.name.toLowerCase();
  return board.statuses.find((mapping) => mapping.name.toLowerCase() === name)?.stage ?? status.name;
}

/** A stage's position on the board; undefined for an unmapped status, which has no place in the order. */
export function stageRank(stage: Stage): number | undefined {
  const rank = STAGES.indexOf(stage as KnownStage);
  return rank === -1 ? undefined : rank;
}

export function isKnownStage(stage: Stage): stage is KnownStage {
  return stageRank(stage) !== undefined;
}

/** True when a stage is the given one or any stage after it on the board. */
export function isAtOrAfter(stage: Stage, threshold: KnownStage): boolean {
  const rank = stageRank(stage);
  return rank !== undefined && rank >= STAGES.indexOf(threshold);
}

/** True when a stage is mapped and comes before the given one on the board. */
export function isBefore(stage: Stage, threshold: KnownStage): boolean {
  const rank = stageRank(stage);
  return rank !== undefined && rank < STAGES.indexOf(threshold);
}
