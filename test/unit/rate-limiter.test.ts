import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../bin/rate-limiter.ts';

function limiterAt(start: number) {
  let nowMs = start;
  const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, nowMs: () => nowMs });
  return { limiter, advance: (ms: number) => (nowMs += ms) };
}

describe('the rate limiter', () => {
  it('lets a client make the limit’s number of requests in a window, and refuses the next', () => {
    const { limiter } = limiterAt(0);

    const decisions = [1, 2, 3, 4].map(() => limiter.take('10.0.0.1'));

    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]).toEqual({ allowed: false, retryAfterMs: 60_000 });
  });

  it('counts each client apart', () => {
    const { limiter } = limiterAt(0);
    for (let i = 0; i < 3; i += 1) limiter.take('10.0.0.1');

    const other = limiter.take('10.0.0.2');

    expect(other.allowed).toBe(true);
  });

  it('lets the client in again once its oldest request has left the window', () => {
    const { limiter, advance } = limiterAt(0);
    limiter.take('10.0.0.1');
    advance(30_000);
    limiter.take('10.0.0.1');
    limiter.take('10.0.0.1');

    advance(30_001);
    const decision = limiter.take('10.0.0.1');

    expect(decision.allowed).toBe(true);
  });
});
