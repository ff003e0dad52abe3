import { describe, expect, it } from 'vitest';
import { weeklyReport } from '#shared/domain/weekly-metrics.ts';
import { renderReportHtml } from '#shared/domain/weekly-report-html.ts';
import { renderReportText } from '#shared/domain/weekly-report-text.ts';
import { HAND_WEEKS_BEFORE, handFollowUps, handWeekInput, handWeekSoFarInput } from '../hand-week.ts';

const jira = { jiraBaseUrl: 'https://acme.atlassian.net' };

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"' };

const decode = (html: string): string =>
  html.replace(/&(#\d+|\w+);/g, (entity, name: string) =>
    name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : (ENTITIES[name] ?? entity),
  );

const clean = (text: string): string => decode(text).replace(/\s+/g, ' ').trim();

/** What a reader sees: the HTML without its tags (inline ones join their text), entities decoded. */
const shownText = (html: string): string =>
  clean(html.replace(/<\/?(a|strong|span)\b[^>]*>/g, '').replace(/<[^>]+>/g, ' '));

/**
 * Every row of every table, as the text of its cells; a table nested in a cell (a colour square)
 * keeps its text to itself, so the cell around it reads as the reader sees it.
 */
function tableRows(html: string): string[][] {
  const rows: string[][] = [];
  const open: { cells: string[]; cell: string | null }[] = [];
  for (const [token, closing, tag] of html.matchAll(/<(\/?)(tr|td|th)\b[^>]*>|<[^>]*>|[^<]+/g)) {
    const row = open.at(-1);
    if (tag === 'tr' && !closing) open.push({ cells: [], cell: null });
    else if (tag === 'tr' && row) rows.push(open.pop()?.cells.map(clean) ?? []);
    else if ((tag === 'td' || tag === 'th') && row && !closing) row.cell = '';
    else if ((tag === 'td' || tag === 'th') && row && row.cell !== null) {
      row.cells.push(row.cell);
      row.cell = null;
    } else if (!token.startsWith('<') && row && row.cell !== null) row.cell += token;
  }
  return rows;
}

/** The text's table of incidents, a row per incident: its columns, the summary from the line below. */
function textIncidentRows(text: string): string[][] {
  const section = text.split('\n\n').find((block) => block.startsWith('Incidents (opened:')) ?? '';
  const lines = section.split('\n');
  return lines.flatMap((line, i) => {
    if (!/^INC-\d+ {2}/.test(line)) return [];
    const [key = '', severity = '', ...rest] = line.trim().split(/ {2,}/);
    return [[key, severity, (lines[i + 1] ?? '').trim(), ...rest]];
  });
}

/** The text with its wrapped lines joined again. */
const unwrapped = (text: string): string => text.replace(/\n {4,}/g, ' ');

describe('the hand-computed week as the HTML email shows it', () => {
  const report = weeklyReport(handWeekInput(), HAND_WEEKS_BEFORE);
  const text = renderReportText(report);
  const html = renderReportHtml(report, jira);
  const shown = shownText(html);
  const rows = tableRows(html);

  it('shows the CI and deployments section in the text’s words, tables cell for cell', () => {
    const section = unwrapped(
      text.split('\n\n').find((block) => block.startsWith('CI and deployments')) ?? '',
    );

    for (const line of section.split('\n').slice(1, 3)) expect(shown).toContain(line);
    expect(shown).toContain(
      '2 fixes merged for incidents; median time from incident start to merge 1d 20h 45m.',
    );
    expect(rows).toContainEqual(['Service', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun', 'Total']);
    expect(rows).toContainEqual(['shop', '0', '0', '1', '1', '1', '0', '1', '4']);
    const fixTable = rows.findIndex((row) => row[0] === 'Incident' && row[1] === 'Fix');
    expect(rows.slice(fixTable, fixTable + 3)).toEqual([
      ['Incident', 'Fix', 'Merged', 'Start to merge'],
      ['INC-101', 'Retry payment provider timeouts, by dana', 'Nov 16 10:30', '1h 30m'],
      ['INC-104', 'Raise the EU login pool', 'Nov 17 09:00', '3d 16h 00m'],
    ]);
    expect(html).toContain('href="https://github.com/acme/shop/pull/41"');
  });

  it('lists the incidents in the text’s eight columns, cell for cell', () => {
    // The table of merged fixes also starts its rows with keys: it has four columns.
    const incidents = rows.filter((row) => /^INC-\d+$/.test(row[0] ?? '') && row.length === 8);

    expect(incidents).toEqual(textIncidentRows(text));
    expect(incidents).toEqual([
      ['INC-101', 'SEV1', 'Checkout payments failing', 'Nov 16 09:00', '4m', '2h 00m', '0', 'Draft'],
      ['INC-102', 'SEV2', 'Search results empty', 'Nov 17 14:00', '10m', '4h 30m', '1', 'In review'],
      ['INC-103', 'SEV3', 'Invoice emails delayed', 'Nov 18 10:00', '-', '30m', '0', 'not written'],
      ['INC-104', 'SEV2', 'Login timeouts in EU', 'Nov 13 17:00', '20m', '2d 20h 40m', '0', 'written'],
      ['INC-105', 'SEV4', 'Report export slow', 'Nov 20 15:00', '45m', 'open', '0', '-'],
      ['INC-106', '-', 'Disk filling on batch host', 'Nov 22 22:30', '-', 'open', '0', '-'],
      ['INC-107', 'SEV1', 'Payments API 500s after release', 'Nov 19 21:00', '2m', '8h 40m', '0', 'Draft'],
      ['INC-108', 'SEV3', 'Stale prices in cache', 'Nov 21 08:00', '15m', '46m', '0', 'not written'],
    ]);
    expect(shown).toContain('Incidents (opened: Europe/Berlin time)');
  });

  it('gives the medians, means and p90 of the text, rounded to the minute', () => {
    const times = rows.filter((row) => row[0] === 'Acknowledge' || row[0] === 'Resolve');

    expect(times).toEqual([
      ['Acknowledge', '5', '10m', '10m', '18m', '20m INC-104'],
      ['Resolve', '6', '3h 15m', '14h 11m', '1d 14h 40m', '2d 20h 40m INC-104'],
    ]);
    expect(text).toContain('Acknowledge      5     10m      10m         18m  20m INC-104');
    expect(text).toContain('Resolve          6  3h 15m  14h 11m  1d 14h 40m  2d 20h 40m INC-104');
  });

  it('names the incidents each time leaves out, with why, as the text does', () => {
    const mtta =
      'MTTA leaves out 3 incidents: INC-103 (never acknowledged), INC-105 (still open), INC-106 (still open).';
    const mttr = 'MTTR leaves out 2 incidents: INC-105 (still open), INC-106 (still open).';

    expect(unwrapped(text)).toContain(mtta);
    expect(unwrapped(text)).toContain(mttr);
    expect(shown).toContain(mtta);
    expect(shown).toContain(mttr);
    expect(html).toContain(
      '<a href="https://acme.atlassian.net/browse/INC-103" style="color:#1d4ed8;">INC-103</a> (never',
    );
  });

  it('shows the trend against a small base as the text’s counts, and no percent the text would not show', () => {
    const changes = ['7 vs 0.3 a week', '6 vs 0.3 a week', '10m vs 5m', '3h 15m vs 2h 00m'];

    for (const change of changes) {
      expect(text).toContain(change);
      expect(shown).toContain(change);
    }
    expect(shown.match(/\d+%/g)).toEqual(['50%']);
    expect(text.match(/\d+%/g)).toEqual(['50%', '50%']);
  });

  it('lists time in stage under the board’s statuses in board order, with the text’s medians', () => {
    const stages = rows.filter((row) => /\(\w+\)$/.test(row[0] ?? '') && /^\d+$/.test(row[1] ?? ''));

    expect(stages).toEqual([
      ['Detected (detection)', '6', '13m'],
      ['Declared (declaration)', '5', '10m'],
      ['Triaged (categorization)', '1', '20m'],
      ['Investigating (diagnosis)', '3', '1h 40m'],
      ['Mitigating (mitigation)', '3', '1h 00m'],
      ['Resolved (resolution)', '6', '1d 19h 37m'],
      ['Postmortem (analysis)', '3', '2d 13h 00m'],
    ]);
    expect(shown).toContain("A visit still open at the week's end counts up to the end.");
  });

  it('says the rest in the text’s words: headline, deleted, reopened, change failures, data quality', () => {
    const lines = [
      '7 opened, 6 resolved, 2 still open.',
      'MTTA 10m, MTTR 3h 15m (medians).',
      'Left out: 1 incident deleted in Jira.',
      'INC-102 reopened once',
      '50%: 2 incidents caused by a change (INC-103, INC-107) / 4 deployments',
      'INC-103 skipped declaration; resolved without being acknowledged',
      'INC-106 no severity',
      'Follow-ups are not tracked (no postmortem database is set).',
    ];

    for (const line of lines) expect(shown).toContain(line);
  });
});

describe('the hand-computed week in progress as the HTML email shows it', () => {
  const report = weeklyReport(handWeekSoFarInput(), []);
  const text = renderReportText(report);
  const shown = shownText(renderReportHtml(report));

  it('marks it incomplete, counted to the moment the report is made, as the text does', () => {
    const soFar = 'The week so far, not complete: counted to Nov 19 13:00 (Europe/Berlin).';

    expect(text).toContain(soFar);
    expect(shown).toContain(soFar);
    expect(shown).toContain('Incidents, week 47 (Nov 16-22), so far');
    expect(shown).toContain("A visit still open at the week's end counts up to now.");
  });
});

describe('unwritten postmortems of the hand-computed week in the HTML email', () => {
  const report = weeklyReport(handWeekInput(), [], handFollowUps());

  it('gives the day of resolution and the days since, to the day the report is made', () => {
    const shown = shownText(renderReportHtml(report));

    expect(renderReportText(report)).toContain('INC-101  resolved 2026-11-16, 9 days ago; postmortem Draft');
    expect(shown).toContain('INC-101 resolved 2026-11-16, 9 days ago; postmortem Draft');
    expect(shown).toContain('INC-107 resolved 2026-11-20, 5 days ago; postmortem Draft');
  });
});
