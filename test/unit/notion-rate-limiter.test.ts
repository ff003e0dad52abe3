import { describe, expect, it } from 'vitest';
import { createRateLimiter, rateLimitedFetch } from '#shared/adapters/notion-rate-limiter.ts';

/** A fake clock that only moves when the limiter sleeps. */
function fakeTime() {
  let nowMs = 0;
  return {
    now: () => nowMs,
    sleep: async (ms: number) => {
      nowMs += ms;
    },
  };
}

async function startTimesOf(count: number, options: { requestsPerSecond: number; burst: number }) {
  const time = fakeTime();
  const limiter = createRateLimiter({ ...options, ...time });
  const startedAtMs: number[] = [];
  await Promise.all(
    Array.from({ length: count }, () => limiter.schedule(async () => startedAtMs.push(time.now()))),
  );
  return startedAtMs;
}

const mostInAnyWindow = (startedAtMs: readonly number[], windowMs: number) =>
  Math.max(
    ...startedAtMs.map((fromMs) => startedAtMs.filter((t) => t >= fromMs && t < fromMs + windowMs).length),
  );

describe('the Notion rate limiter', () => {
  it('spreads 10 requests at 3 a second with a burst of 3 over at least 2.3 s, within the bucket at every moment', async () => {
    const startedAtMs = await startTimesOf(10, { requestsPerSecond: 3, burst: 3 });

    expect(startedAtMs.at(-1)).toBeGreaterThanOrEqual(2300);
    expect(startedAtMs.slice(0, 3)).toEqual([0, 0, 0]);
    for (const [i, fromMs] of startedAtMs.entries())
      for (const [j, toMs] of startedAtMs.entries())
        if (j > i) expect(j - i + 1).toBeLessThanOrEqual(3 + (3 * (toMs - fromMs)) / 1000);
  });

  it('never starts more than 3 requests in any 1-second window without a burst', async () => {
    const startedAtMs = await startTimesOf(10, { requestsPerSecond: 3, burst: 1 });

    expect(startedAtMs.at(-1)).toBeGreaterThanOrEqual(3000);
    expect(mostInAnyWindow(startedAtMs, 1000)).toBe(3);
  });

  it('starts requests in the order they were scheduled, and goes on after one fails', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 3, burst: 1, ...fakeTime() });
    const order: string[] = [];

    const outcomes = await Promise.allSettled([
      limiter.schedule(async () => order.push('a')),
      limiter.schedule(async () => {
        order.push('b');
        throw new Error('b failed');
      }),
      limiter.schedule(async () => order.push('c')),
    ]);

    expect(order).toEqual(['a', 'b', 'c']);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('passes each request and its answer through the wrapped fetch', async () => {
    const seen: [string, RequestInit | undefined][] = [];
    const limited = rateLimitedFetch(createRateLimiter({ ...fakeTime() }), async (input, init) => {
      seen.push([String(input), init]);
      return new Response('{"ok":true}', { status: 200 });
    });

    const response = await limited('https://api.notion.com/v1/users', { method: 'GET' });

    expect(await response.json()).toEqual({ ok: true });
    expect(seen).toEqual([['https://api.notion.com/v1/users', { method: 'GET' }]]);
  });
});
