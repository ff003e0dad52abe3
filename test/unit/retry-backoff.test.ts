import { describe, expect, it } from 'vitest';
import { MAX_RETRY_SECONDS, retryDelaySeconds } from '#shared/domain/retry-backoff.ts';

describe('the retry backoff', () => {
  const noJitter = () => 0;

  it('doubles from one minute with each attempt', () => {
    expect([1, 2, 3, 4, 5].map((attempts) => retryDelaySeconds(attempts, null, noJitter))).toEqual([
      60, 120, 240, 480, 960,
    ]);
  });

  it('stops growing at two hours, jitter included', () => {
    expect(retryDelaySeconds(20, null, noJitter)).toBe(MAX_RETRY_SECONDS);
    expect(retryDelaySeconds(20, null, () => 0.99)).toBe(MAX_RETRY_SECONDS);
  });

  it('adds up to a tenth at random, so retries of many messages spread out', () => {
    expect(retryDelaySeconds(2, null, () => 0.5)).toBe(126);
  });

  it('never comes back before a Retry-After the service asked for', () => {
    expect(retryDelaySeconds(1, 300_500, noJitter)).toBe(301);
    expect(retryDelaySeconds(3, 1_000, noJitter)).toBe(240);
  });
});
