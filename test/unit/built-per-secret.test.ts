import { describe, expect, it } from 'vitest';
import { builtPerSecret } from '#shared/wiring/built-per-secret.ts';

/** A secret as its cached provider hands it out, and a count of the clients built from it. */
function setup() {
  let secret = { token: 'first' };
  const built: string[] = [];
  const client = builtPerSecret(
    async () => secret,
    async (current) => {
      built.push(current.token);
      return { token: current.token };
    },
  );
  const rotate = (token: string) => {
    secret = { token };
  };
  return { client, built, rotate };
}

describe('clients built from a secret', () => {
  it('are built once while the secret stays the same, however many invocations use them', async () => {
    const { client, built } = setup();

    const first = await client();
    const second = await client();

    expect(second).toBe(first);
    expect(built).toEqual(['first']);
  });

  it('are built again with the new token once the provider hands out a rotated secret', async () => {
    const { client, built, rotate } = setup();
    await client();

    rotate('second');
    const after = await client();

    expect(after.token).toBe('second');
    expect(built).toEqual(['first', 'second']);
  });

  it('are built again on the next call after a build failed', async () => {
    let attempts = 0;
    const client = builtPerSecret(
      async () => ({ token: 't' }),
      async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('jira.js failed to load');
        return 'client';
      },
    );

    await expect(client()).rejects.toThrow('jira.js failed to load');
    const second = await client();

    expect(second).toBe('client');
    expect(attempts).toBe(2);
  });
});
