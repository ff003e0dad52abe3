/**
 * JQL as the Jira simulator reads it: the subset a reconciler needs, parsed strictly. Anything outside it
 * is refused in Jira's words, so a query that would fail on a real site fails in the simulator first.
 */
import { parseJiraTime, type SimulatedIssueFields } from './jira-history.ts';

/** What JQL reads of an issue: its identities and the fields a clause or ORDER BY may name. */
export interface JqlIssue {
  readonly id: string;
  readonly key: string;
  readonly fields: Pick<
    SimulatedIssueFields,
    'issuetype' | 'status' | 'project' | 'labels' | 'updated' | 'created'
  >;
}

/** Jira's answer to a search without a restriction. */
export const UNBOUNDED_QUERY =
  'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';

const MINUTE_MS = 60_000;

/** What JQL may check against the site: names and ids, lowercased, and the clock. */
export interface JqlSite {
  readonly nowMs: number;
  readonly issueTypes: ReadonlySet<string>;
  readonly statuses: ReadonlySet<string>;
  readonly projects: ReadonlySet<string>;
  readonly keys: ReadonlySet<string>;
}

export type CompiledJql =
  | {
      readonly kind: 'query';
      readonly matches: (issue: JqlIssue) => boolean;
      readonly compare: (a: JqlIssue, b: JqlIssue) => number;
    }
  | { readonly kind: 'refused'; readonly message: string; readonly messages: readonly string[] };

interface Token {
  readonly kind: 'word' | 'string' | 'operator' | 'open' | 'close' | 'comma' | 'end';
  readonly text: string;
  readonly at: number;
}

type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'in' | 'not in';

type Condition =
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | {
      readonly kind: 'clause';
      readonly field: Token;
      readonly operator: Operator;
      readonly values: readonly Token[];
    };

interface SortKey {
  readonly field: Token;
  readonly descending: boolean;
}

type JqlField = 'issuetype' | 'labels' | 'project' | 'status' | 'key' | 'id' | 'updated' | 'created';

const JQL_FIELDS: Readonly<Record<string, JqlField>> = {
  issuetype: 'issuetype',
  type: 'issuetype',
  labels: 'labels',
  project: 'project',
  status: 'status',
  key: 'key',
  issuekey: 'key',
  id: 'id',
  updated: 'updated',
  updateddate: 'updated',
  created: 'created',
  createddate: 'created',
};
const SORTABLE_FIELDS: readonly JqlField[] = ['updated', 'created', 'key', 'id'];
const COMPARISONS = ['=', '!=', '>', '>=', '<', '<='] as const;
const UNSUPPORTED_OPERATORS = ['~', '!~'];
const RESERVED_WORDS = new Set(['and', 'or', 'not', 'in', 'order', 'by', 'is', 'empty', 'null']);
const DATE_FORMATS =
  "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";
const PERIOD_UNIT_MS: Readonly<Record<string, number>> = {
  m: MINUTE_MS,
  h: 60 * MINUTE_MS,
  d: 24 * 60 * MINUTE_MS,
  w: 7 * 24 * 60 * MINUTE_MS,
};

/** A refusal; `messages` holds one line per bad value when there are several, as Jira lists them. */
class JqlError extends Error {
  readonly messages: readonly string[];
  constructor(messages: string | readonly string[]) {
    const all = typeof messages === 'string' ? [messages] : messages;
    super(all.join(' '));
    this.messages = all;
  }
}

const syntaxError = (detail: string, at: number) =>
  new JqlError(`Error in the JQL Query: ${detail} (line 1, character ${at + 1})`);

const describe = (token: Token) => (token.kind === 'end' ? 'end of query' : `'${token.text}'`);

/** Parses and checks a query against the site; a refusal carries Jira's messages (`message` joins them). */
export function compileJql(jql: string, site: JqlSite): CompiledJql {
  try {
    const { where, orderBy } = parseJql(jql);
    if (where === null) return { kind: 'refused', message: UNBOUNDED_QUERY, messages: [UNBOUNDED_QUERY] };
    return { kind: 'query', matches: predicateOf(where, site), compare: comparatorOf(orderBy) };
  } catch (error) {
    if (error instanceof JqlError)
      return { kind: 'refused', message: error.message, messages: error.messages };
    throw error;
  }
}

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < jql.length) {
    const rest = jql.slice(at);
    const character = rest[0] ?? '';
    if (/\s/.test(character)) {
      at += 1;
      continue;
    }
    if (character === '(' || character === ')' || character === ',') {
      const kind = character === '(' ? 'open' : character === ')' ? 'close' : 'comma';
      tokens.push({ kind, text: character, at });
      at += 1;
      continue;
    }
    if (character === '"' || character === "'") {
      const quoted = readQuoted(jql, at);
      tokens.push({ kind: 'string', text: quoted.text, at });
      at = quoted.end;
      continue;
    }
    const operator = /^(!=|>=|<=|!~|=|>|<|~)/.exec(rest)?.[1];
    const word = /^[^\s(),=!<>~"']+/.exec(rest)?.[0];
    const token = operator ?? word;
    if (token === undefined)
      throw syntaxError(`The character '${character}' is a reserved JQL character.`, at);
    tokens.push({ kind: operator === undefined ? 'word' : 'operator', text: token, at });
    at += token.length;
  }
  tokens.push({ kind: 'end', text: '', at: jql.length });
  return tokens;
}

function readQuoted(jql: string, start: number): { text: string; end: number } {
  const quote = jql[start];
  let text = '';
  for (let at = start + 1; at < jql.length; at += 1) {
    const character = jql[at];
    if (character === quote) return { text, end: at + 1 };
    if (character === '\\') {
      at += 1;
      text += jql[at] ?? '';
    } else text += character;
  }
  throw syntaxError(`The quoted string '${jql.slice(start + 1)}' has not been completed.`, start);
}

/** query := [or] [ORDER BY key [ASC|DESC] {, key [ASC|DESC]}]; or := and {OR and}; and := primary {AND primary}. */
function parseJql(jql: string): { where: Condition | null; orderBy: SortKey[] } {
  const tokens = tokenize(jql);
  let position = 0;
  const peek = (): Token => tokens[position] ?? { kind: 'end', text: '', at: jql.length };
  const advance = (): Token => {
    const token = peek();
    position += 1;
    return token;
  };
  const isWord = (token: Token, word: string) => token.kind === 'word' && token.text.toLowerCase() === word;

  function or(): Condition {
    let left = and();
    while (isWord(peek(), 'or')) {
      advance();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  }
  function and(): Condition {
    let left = primary();
    while (isWord(peek(), 'and')) {
      advance();
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  }
  function primary(): Condition {
    const token = peek();
    if (token.kind === 'open') {
      advance();
      const inner = or();
      const close = advance();
      if (close.kind !== 'close') throw syntaxError(`Expecting ')' but got ${describe(close)}.`, close.at);
      return inner;
    }
    if (isWord(token, 'not'))
      throw syntaxError("The simulator does not support 'NOT' before a clause.", token.at);
    return clause();
  }
  function clause(): Condition {
    const field = advance();
    if (field.kind !== 'word' && field.kind !== 'string')
      throw syntaxError(`Expecting a field name but got ${describe(field)}.`, field.at);
    const operator = operatorOf();
    const values = operator === 'in' || operator === 'not in' ? list() : [operand()];
    return { kind: 'clause', field, operator, values };
  }
  function operatorOf(): Operator {
    const token = advance();
    const comparison = COMPARISONS.find((candidate) => candidate === token.text);
    if (token.kind === 'operator' && comparison !== undefined) return comparison;
    if (isWord(token, 'in')) return 'in';
    if (isWord(token, 'not') && isWord(peek(), 'in')) {
      advance();
      return 'not in';
    }
    if (
      UNSUPPORTED_OPERATORS.includes(token.text) ||
      ['is', 'was', 'changed'].some((word) => isWord(token, word))
    )
      throw syntaxError(
        `The simulator does not support the operator '${token.text.toUpperCase()}'.`,
        token.at,
      );
    throw syntaxError(
      `Expecting operator but got ${describe(token)}. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.`,
      token.at,
    );
  }
  function operand(): Token {
    const token = advance();
    const isValue =
      token.kind === 'string' || (token.kind === 'word' && !RESERVED_WORDS.has(token.text.toLowerCase()));
    if (!isValue)
      throw syntaxError(`Expecting either a value, list or function but got ${describe(token)}.`, token.at);
    if (peek().kind === 'open')
      throw syntaxError(`The simulator does not support the function '${token.text}'.`, token.at);
    return token;
  }
  function list(): Token[] {
    const open = advance();
    if (open.kind !== 'open') throw syntaxError(`Expecting '(' but got ${describe(open)}.`, open.at);
    const values = [operand()];
    while (peek().kind === 'comma') {
      advance();
      values.push(operand());
    }
    const close = advance();
    if (close.kind !== 'close') throw syntaxError(`Expecting ')' but got ${describe(close)}.`, close.at);
    return values;
  }
  function orderBy(): SortKey[] {
    advance();
    const by = advance();
    if (!isWord(by, 'by')) throw syntaxError(`Expecting 'by' but got ${describe(by)}.`, by.at);
    const keys: SortKey[] = [];
    do {
      if (keys.length > 0) advance();
      const field = advance();
      if (field.kind !== 'word' && field.kind !== 'string')
        throw syntaxError(`Expecting a field name but got ${describe(field)}.`, field.at);
      const direction = peek();
      const descending = isWord(direction, 'desc');
      if (descending || isWord(direction, 'asc')) advance();
      keys.push({ field, descending });
    } while (peek().kind === 'comma');
    return keys;
  }

  const startsWithOrder = isWord(peek(), 'order') || peek().kind === 'end';
  const where = startsWithOrder ? null : or();
  const keys = isWord(peek(), 'order') ? orderBy() : [];
  const last = peek();
  if (last.kind !== 'end') {
    const expected =
      keys.length > 0 ? "Expecting ',' or the end of the query" : "Expecting either 'OR' or 'AND'";
    throw syntaxError(`${expected} but got ${describe(last)}.`, last.at);
  }
  return { where, orderBy: keys };
}

function jqlFieldOf(token: Token): JqlField {
  const field = JQL_FIELDS[token.text.toLowerCase()];
  if (field === undefined)
    throw new JqlError(`Field '${token.text}' does not exist or you do not have permission to view it.`);
  return field;
}

function predicateOf(condition: Condition, site: JqlSite): (issue: JqlIssue) => boolean {
  if (condition.kind === 'clause') return clausePredicate(condition, site);
  const left = predicateOf(condition.left, site);
  const right = predicateOf(condition.right, site);
  return condition.kind === 'and'
    ? (issue) => left(issue) && right(issue)
    : (issue) => left(issue) || right(issue);
}

type Clause = Extract<Condition, { kind: 'clause' }>;

function clausePredicate(clause: Clause, site: JqlSite): (issue: JqlIssue) => boolean {
  const field = jqlFieldOf(clause.field);
  if (field === 'updated' || field === 'created') return dateClause(clause, field, site);
  if (!['=', '!=', 'in', 'not in'].includes(clause.operator))
    throw new JqlError(
      `The operator '${clause.operator.toUpperCase()}' is not supported by the '${clause.field.text}' field.`,
    );
  const wanted = new Set(clause.values.map((value) => value.text.toLowerCase()));
  // Every bad value is named, not just the first: a caller can drop them all and ask again.
  const problems = clause.values.flatMap((value) => {
    try {
      checkValue(field, value.text, site);
      return [];
    } catch (error) {
      if (error instanceof JqlError) return error.messages;
      throw error;
    }
  });
  if (problems.length > 0) throw new JqlError(problems);
  const valuesOf = issueValuesOf(field);
  const isPositive = clause.operator === '=' || clause.operator === 'in';
  return (issue) => {
    const values = valuesOf(issue).map((value) => value.toLowerCase());
    const hit = values.some((value) => wanted.has(value));
    // As in Jira, a negative clause leaves out issues with no value at all (no labels).
    return isPositive ? hit : values.length > 0 && !hit;
  };
}

function checkValue(field: JqlField, value: string, site: JqlSite) {
  const lowered = value.toLowerCase();
  const known: Partial<Record<JqlField, ReadonlySet<string>>> = {
    issuetype: site.issueTypes,
    status: site.statuses,
    project: site.projects,
  };
  const values = known[field];
  if (values !== undefined && !values.has(lowered))
    throw new JqlError(`The value '${value}' does not exist for the field '${field}'.`);
  if (field === 'key' && !/^[a-z][a-z0-9_]*-\d+$/.test(lowered))
    throw new JqlError(`The issue key '${value}' for field 'key' is invalid.`);
  if (field === 'key' && !site.keys.has(lowered))
    throw new JqlError(`An issue with key '${value}' does not exist for field 'key'.`);
  if (field === 'id' && !/^\d+$/.test(value))
    throw new JqlError(`The value '${value}' for field 'id' is invalid.`);
}

function issueValuesOf(
  field: Exclude<JqlField, 'updated' | 'created'>,
): (issue: JqlIssue) => readonly string[] {
  switch (field) {
    case 'issuetype':
      return ({ fields }) => [fields.issuetype.name, fields.issuetype.id];
    case 'status':
      return ({ fields }) => [fields.status.name, fields.status.id];
    case 'project':
      return ({ fields }) => [fields.project.key, fields.project.name, fields.project.id];
    case 'labels':
      return ({ fields }) => fields.labels;
    case 'key':
      return ({ key }) => [key];
    case 'id':
      return ({ id }) => [id];
    default:
      return field satisfies never;
  }
}

const floorToMinute = (ms: number) => ms - (((ms % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);

/**
 * JQL dates have minute precision, so Jira compares at the minute: `updated >= "2026-11-02 09:15"`
 * takes in 09:15:00.000 onwards and `updated > "… 09:15"` starts at 09:16.
 */
function dateClause(
  clause: Clause,
  field: 'updated' | 'created',
  site: JqlSite,
): (issue: JqlIssue) => boolean {
  const operator = clause.operator;
  if (operator === 'in' || operator === 'not in')
    throw new JqlError(
      `The simulator does not support '${operator.toUpperCase()}' with the '${clause.field.text}' field.`,
    );
  const [value] = clause.values;
  if (value === undefined) throw new JqlError(`The field '${clause.field.text}' needs a value.`);
  const boundMs = minuteOf(value.text, clause.field.text, site.nowMs);
  return (issue) => {
    const atMs = floorToMinute(parseJiraTime(issue.fields[field]));
    switch (operator) {
      case '=':
        return atMs === boundMs;
      case '!=':
        return atMs !== boundMs;
      case '>':
        return atMs > boundMs;
      case '>=':
        return atMs >= boundMs;
      case '<':
        return atMs < boundMs;
      case '<=':
        return atMs <= boundMs;
      default:
        return operator satisfies never;
    }
  };
}

/** A JQL date value in UTC, the simulated user's time zone: absolute to the minute, or relative to now. */
function minuteOf(value: string, fieldName: string, nowMs: number): number {
  const period = /^([-+]?)(\d+)([mhdw])$/i.exec(value.trim());
  if (period !== null) {
    const sign = period[1] === '-' ? -1 : 1;
    const unitMs = PERIOD_UNIT_MS[(period[3] ?? '').toLowerCase()] ?? MINUTE_MS;
    return floorToMinute(nowMs + sign * Number(period[2]) * unitMs);
  }
  const date = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(value.trim());
  const [, year, month, day, hour = '0', minute = '0'] = date ?? [];
  const ms = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute));
  const isValid =
    date !== null && !Number.isNaN(ms) && new Date(ms).getUTCDate() === Number(day) && Number(hour) < 24;
  if (!isValid)
    throw new JqlError(`Date value '${value}' for field '${fieldName}' is invalid. ${DATE_FORMATS}`);
  return ms;
}

/** ORDER BY as listed, ties broken by id ascending so that pages are stable; by id when none is given. */
function comparatorOf(keys: readonly SortKey[]): (a: JqlIssue, b: JqlIssue) => number {
  const compares = keys.map(({ field: token, descending }) => {
    const field = jqlFieldOf(token);
    if (!SORTABLE_FIELDS.includes(field))
      throw new JqlError(`Field '${token.text}' does not support sorting.`);
    const compare = fieldComparator(field);
    return descending ? (a: JqlIssue, b: JqlIssue) => compare(b, a) : compare;
  });
  return (a, b) => {
    for (const compare of compares) {
      const order = compare(a, b);
      if (order !== 0) return order;
    }
    return Number(a.id) - Number(b.id);
  };
}

function fieldComparator(field: JqlField): (a: JqlIssue, b: JqlIssue) => number {
  if (field === 'updated' || field === 'created')
    return (a, b) => parseJiraTime(a.fields[field]) - parseJiraTime(b.fields[field]);
  if (field === 'key') return (a, b) => compareKeys(a.key, b.key);
  return (a, b) => Number(a.id) - Number(b.id);
}

/** Keys sort by project, then by number: OPS-9 before OPS-10. */
function compareKeys(a: string, b: string): number {
  const [projectA = '', numberA = '0'] = a.split(/-(?=\d+$)/);
  const [projectB = '', numberB = '0'] = b.split(/-(?=\d+$)/);
  return projectA.localeCompare(projectB) || Number(numberA) - Number(numberB);
}
