import { describe, expect, it } from 'vitest';
import { matchesFilterPattern, metricValuesOf } from './cloudwatch-filter-pattern.ts';

const line = (fields: Record<string, unknown>) => JSON.stringify(fields);

describe('the CloudWatch JSON filter pattern matcher', () => {
  it.each([
    ['{ $.eventType = "UpdateTrail" }', { eventType: 'UpdateTrail' }, true],
    ['{ $.eventType = "UpdateTrail" }', { eventType: 'CreateTrail' }, false],
    ['{ $.sourceIPAddress != 123.123.* }', { sourceIPAddress: '10.0.0.1' }, true],
    ['{ $.sourceIPAddress != 123.123.* }', { sourceIPAddress: '123.123.4.5' }, false],
    ['{ $.arrayKey[0] = "value" }', { arrayKey: ['value', 'other'] }, true],
    ['{ $.user.id = 1 }', { user: { id: 1 } }, true],
    ['{ $.bandwidth > 75 }', { bandwidth: 76 }, true],
    ['{ $.bandwidth > 75 }', { bandwidth: 75 }, false],
    ['{ $.latency <= 1e3 }', { latency: 1000 }, true],
    ['{ $.eventsAdded >= 0 }', { eventsAdded: 0 }, true],
    // A number compares numbers only: a string that reads as one does not match.
    ['{ $.eventsAdded >= 0 }', { eventsAdded: '5' }, false],
    ['{ $.unfinished = 1 }', {}, false],
    ['{ $.error IS TRUE }', { error: true }, true],
    ['{ $.error IS FALSE }', { error: 'false' }, false],
    ['{ $.code IS NULL }', { code: null }, true],
    ['{ $.code NOT EXISTS }', { other: 1 }, true],
    ['{ $.code NOT EXISTS }', { code: null }, false],
    ['{ $.message = %could not .*finish% }', { message: 'reconciler could not finish' }, true],
    [
      '{ ($.user.id = 2 && $.users[0].lastName = "Ferretti") || ($.user.email = "xyz") }',
      { user: { id: 2 }, users: [{ lastName: 'Ferretti' }] },
      true,
    ],
    [
      '{ ($.user.id = 2 && $.users[0].lastName = "Ferretti") || ($.user.email = "xyz") }',
      { user: { id: 3, email: 'abc' }, users: [{ lastName: 'Ferretti' }] },
      false,
    ],
    [
      '{ ($.message = "reconciled") && ($.eventsAdded >= 0) }',
      { message: 'reconciled', eventsAdded: 3 },
      true,
    ],
  ])('reads %s against %j as %s', (pattern, fields, expected) => {
    expect(matchesFilterPattern(pattern, line(fields))).toBe(expected);
  });

  it('matches no line that is not a JSON object', () => {
    expect(matchesFilterPattern('{ $.unfinished = 1 }', 'START RequestId: 1 Version: $LATEST')).toBe(false);
    expect(
      matchesFilterPattern('{ $.unfinished = 1 }', '2026-11-24T10:00:00Z\t1\tINFO\t{"unfinished":1}'),
    ).toBe(false);
  });

  it('refuses a text pattern rather than guessing what it matches', () => {
    expect(() => matchesFilterPattern('ERROR MainThread', '{}')).toThrow(/only JSON filter patterns/);
  });

  it('publishes the value of each matching line and the default for every other line', () => {
    const lines = [line({ unfinished: 1, eventsAdded: 4 }), line({ unfinished: 0 }), 'END RequestId: 1'];

    expect(metricValuesOf('{ $.unfinished = 1 }', { MetricValue: '1', DefaultValue: 0 }, lines)).toEqual([
      1, 0, 0,
    ]);
    expect(metricValuesOf('{ $.eventsAdded >= 0 }', { MetricValue: '$.eventsAdded' }, lines)).toEqual([4]);
  });
});
