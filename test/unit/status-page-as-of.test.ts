import { describe, expect, it } from 'vitest';
import { startOfDayMs } from '#shared/domain/iso-weeks.ts';
import { asOfLastChange } from '#shared/domain/status-page-model.ts';
import { renderStatusSite } from '#shared/domain/status-page-site.ts';
import { SAMPLE_BASE_URL, SAMPLE_NOW_MS, samplePage } from '../status-page-sample.ts';

describe('the page stamped with its last visible change', () => {
  it.each([
    ['Europe/Berlin', '2026-11-18T14:00:00Z', '2026-11-17T23:00:00Z'],
    ['America/New_York', '2026-11-18T03:00:00Z', '2026-11-17T05:00:00Z'],
    ['Europe/Berlin', '2026-03-29T12:00:00Z', '2026-03-28T23:00:00Z'],
  ])('starts the day in %s at local midnight (%s → %s)', (timeZone, at, midnight) => {
    expect(new Date(startOfDayMs(Date.parse(at), timeZone)).toISOString()).toBe(
      new Date(Date.parse(midnight)).toISOString(),
    );
  });

  it('renders the same bytes for two rebuilds of one day with nothing new', () => {
    const page = samplePage('all-operational');
    const laterPage = { ...page, generatedAtMs: page.generatedAtMs + 3 * 3_600_000 };
    const today = startOfDayMs(SAMPLE_NOW_MS, page.timeZone);

    const first = renderStatusSite(asOfLastChange(page, today), SAMPLE_BASE_URL);
    const later = renderStatusSite(asOfLastChange(laterPage, today), SAMPLE_BASE_URL);

    expect(later).toEqual(first);
  });

  it('is stamped with the latest update of an incident shown when that is later than midnight', () => {
    const page = samplePage('sev1-in-progress');
    const latest = Math.max(...page.ongoing.map((incident) => incident.updatedAtMs));

    const stamped = asOfLastChange(page, startOfDayMs(SAMPLE_NOW_MS, page.timeZone));

    expect(stamped.generatedAtMs).toBe(Math.max(latest, startOfDayMs(SAMPLE_NOW_MS, page.timeZone)));
    expect(stamped.generatedAtMs).toBeLessThanOrEqual(SAMPLE_NOW_MS);
  });
});
