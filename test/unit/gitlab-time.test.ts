import { describe, expect, it } from 'vitest';
import { gitlabTimeMs } from '#shared/gitlab/gitlab-time.ts';

describe('gitlabTimeMs', () => {
  it.each([
    ['2017-12-10 17:01:11 UTC', '2017-12-10T17:01:11Z'],
    ['2022-04-01 13:49:55 +0800', '2022-04-01T05:49:55Z'],
    ['2025-05-02 11:55:16 +0000', '2025-05-02T11:55:16Z'],
    ['2024-01-15 09:00:00 -0530', '2024-01-15T14:30:00Z'],
    ['2022-04-01T13:49:54+08:00', '2022-04-01T05:49:54Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(gitlabTimeMs(text)).toBe(Date.parse(iso));
  });

  it.each(['1 April 2022', '2022-04-01 13:49:55', '2022-04-01 13:49:55 CEST', ''])('refuses %j', (text) => {
    expect(gitlabTimeMs(text)).toBeNaN();
  });
});
