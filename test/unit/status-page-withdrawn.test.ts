import { describe, expect, it } from 'vitest';
import { withdrawnIncidentIds } from '#shared/domain/status-page-model.ts';
import { incident, MINUTE, settingsWith, T0 } from '../builders.ts';
import { lifecycle, recordOf } from '../status-page-builders.ts';

const options = settingsWith().statusPage;
const DAY = 24 * 60 * MINUTE;

describe('the incident pages withdrawn from the published site', () => {
  it('withdraws a confirmed incident labelled internal later, and keeps the public ones', () => {
    const labelled = [
      ...lifecycle('1', {}, { lastStatus: 'Investigating' }),
      incident('1', { labels: ['internal'] }).move(199, 60, 'Investigating', 'Mitigating'),
    ];
    const states = [
      recordOf(labelled).state,
      recordOf(lifecycle('2', { key: 'INC-2' }, { lastStatus: 'Investigating' })).state,
    ];

    expect(withdrawnIncidentIds(states, options, T0 - 90 * DAY)).toEqual(['inc-1']);
  });

  it('withdraws nothing customers could never have seen: unconfirmed, or gone before the window', () => {
    const unconfirmed = recordOf(
      lifecycle('3', { key: 'INC-3', labels: ['internal'] }, { lastStatus: 'Detected' }),
    );
    const old = recordOf(
      lifecycle('4', { key: 'INC-4', labels: ['internal'] }, { lastStatus: 'Investigating' }),
    );

    const withdrawn = withdrawnIncidentIds([unconfirmed.state, old.state], options, T0 + DAY);

    expect(withdrawn).toEqual([]);
  });
});
