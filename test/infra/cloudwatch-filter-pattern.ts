/**
 * CloudWatch Logs' JSON filter patterns (`{ $.a = "x" && ($.b >= 0 || $.c IS TRUE) }`), evaluated as
 * the service documents them, so a test can show that a metric filter reads the line the code writes.
 * Text and space-delimited patterns are out of scope and refused, not guessed at.
 *
 * What the service does, and this does too: a line that is not a JSON object matches no JSON pattern; a
 * comparison needs its selector to exist; a quoted or bare value compares strings only (with `*` as a
 * wildcard), a number compares numbers only; `IS TRUE|FALSE|NULL` and `NOT EXISTS` test the value itself.
 */

type Path = readonly (string | number)[];
type Value =
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'regex'; readonly source: string };
type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=';
type Expression =
  | { readonly kind: 'and' | 'or'; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'compare'; readonly path: Path; readonly operator: Operator; readonly value: Value }
  | { readonly kind: 'is'; readonly path: Path; readonly what: 'TRUE' | 'FALSE' | 'NULL' }
  | { readonly kind: 'not-exists'; readonly path: Path };

const TOKEN =
  /\s*(?:(\|\||&&|\(|\)|!=|<=|>=|=|<|>)|("(?:[^"\\]|\\.)*")|(%(?:[^%\\]|\\.)*%)|(\$(?:\.[A-Za-z0-9_@-]+|\[\d+\])*)|([^\s()&|=!<>"]+))/y;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(source);
    if (!match) throw new Error(`cannot read the filter pattern at: ${source.slice(TOKEN.lastIndex)}`);
    tokens.push(match[0].trim());
  }
  return tokens;
}

function pathOf(selector: string): Path {
  return [...selector.slice(1).matchAll(/\.([^.[]+)|\[(\d+)\]/g)].map((part) =>
    part[2] === undefined ? (part[1] as string) : Number(part[2]),
  );
}

function valueFrom(token: string): Value {
  if (token.startsWith('"')) return { kind: 'string', text: token.slice(1, -1).replace(/\\(.)/g, '$1') };
  if (token.startsWith('%')) return { kind: 'regex', source: token.slice(1, -1) };
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(token)) return { kind: 'number', value: Number(token) };
  return { kind: 'string', text: token };
}

function parse(pattern: string): Expression {
  const body = pattern.trim();
  if (!body.startsWith('{') || !body.endsWith('}'))
    throw new Error(`only JSON filter patterns ({ ... }) are supported, not: ${pattern}`);
  const tokens = tokenize(body.slice(1, -1));
  let at = 0;
  const next = () => {
    const token = tokens[at];
    if (token === undefined) throw new Error(`the filter pattern ends too soon: ${pattern}`);
    at += 1;
    return token;
  };
  const expect = (token: string) => {
    if (next() !== token) throw new Error(`expected ${token} in ${pattern}`);
  };

  const primary = (): Expression => {
    const token = next();
    if (token === '(') {
      const inner = either();
      expect(')');
      return inner;
    }
    if (!token.startsWith('$')) throw new Error(`expected a selector such as $.field, got ${token}`);
    const path = pathOf(token);
    const operator = next();
    if (operator === 'IS') {
      const what = next();
      if (what !== 'TRUE' && what !== 'FALSE' && what !== 'NULL')
        throw new Error(`IS takes TRUE, FALSE or NULL, not ${what}`);
      return { kind: 'is', path, what };
    }
    if (operator === 'NOT') {
      expect('EXISTS');
      return { kind: 'not-exists', path };
    }
    if (!['=', '!=', '<', '<=', '>', '>='].includes(operator))
      throw new Error(`unknown comparison ${operator} in ${pattern}`);
    const value = valueFrom(next());
    if (value.kind !== 'number' && operator !== '=' && operator !== '!=')
      throw new Error(`${operator} compares numbers only, in ${pattern}`);
    return { kind: 'compare', path, operator: operator as Operator, value };
  };
  const both = (): Expression => {
    let left = primary();
    while (tokens[at] === '&&') {
      at += 1;
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const either = (): Expression => {
    let left = both();
    while (tokens[at] === '||') {
      at += 1;
      left = { kind: 'or', left, right: both() };
    }
    return left;
  };

  const expression = either();
  if (at !== tokens.length) throw new Error(`unexpected ${tokens[at]} in ${pattern}`);
  return expression;
}

const MISSING = Symbol('missing');

function select(document: unknown, path: Path): unknown {
  let value: unknown = document;
  for (const step of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, step)) return MISSING;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}

const glob = (text: string) =>
  new RegExp(
    `^${text
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    's',
  );

function compare(actual: unknown, operator: Operator, value: Value): boolean {
  if (value.kind === 'number') {
    if (typeof actual !== 'number') return false;
    const results: Record<Operator, boolean> = {
      '=': actual === value.value,
      '!=': actual !== value.value,
      '<': actual < value.value,
      '<=': actual <= value.value,
      '>': actual > value.value,
      '>=': actual >= value.value,
    };
    return results[operator];
  }
  if (typeof actual !== 'string') return false;
  const matches =
    value.kind === 'regex' ? new RegExp(value.source).test(actual) : glob(value.text).test(actual);
  return operator === '=' ? matches : !matches;
}

function evaluate(expression: Expression, document: unknown): boolean {
  switch (expression.kind) {
    case 'and':
      return evaluate(expression.left, document) && evaluate(expression.right, document);
    case 'or':
      return evaluate(expression.left, document) || evaluate(expression.right, document);
    case 'compare': {
      const actual = select(document, expression.path);
      return actual !== MISSING && compare(actual, expression.operator, expression.value);
    }
    case 'is': {
      const actual = select(document, expression.path);
      if (expression.what === 'NULL') return actual === null;
      return actual === (expression.what === 'TRUE');
    }
    case 'not-exists':
      return select(document, expression.path) === MISSING;
    default:
      return expression satisfies never;
  }
}

function jsonObjectOf(line: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(line);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Whether the log line matches the JSON filter pattern, as CloudWatch Logs decides it. */
export function matchesFilterPattern(pattern: string, line: string): boolean {
  const expression = parse(pattern);
  const document = jsonObjectOf(line);
  return document !== null && evaluate(expression, document);
}

/** A metric filter's transformation as CloudFormation holds it. */
export interface MetricTransformation {
  readonly MetricValue: string;
  readonly DefaultValue?: number;
}

/**
 * The values a metric filter publishes for these lines: its value (a number, or `$.field` holding a
 * number) for each matching line, its default for each other line, nothing where neither applies.
 */
export function metricValuesOf(
  pattern: string,
  transformation: MetricTransformation,
  lines: readonly string[],
): number[] {
  return lines.flatMap((line) => {
    if (!matchesFilterPattern(pattern, line))
      return transformation.DefaultValue === undefined ? [] : [transformation.DefaultValue];
    if (!transformation.MetricValue.startsWith('$')) return [Number(transformation.MetricValue)];
    const value = select(jsonObjectOf(line), pathOf(transformation.MetricValue));
    return typeof value === 'number' ? [value] : [];
  });
}
