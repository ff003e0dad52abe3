import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGsm7, smsSegments } from '#shared/domain/gsm7.ts';
import {
  emailFor,
  escalationEmailFor,
  escalationSmsFor,
  type MessageInput,
  smsFor,
} from '#shared/domain/notification-messages.ts';
import { causesOf, type NotificationCause } from '#shared/domain/notification-plan.ts';
import { foldIncident, type IncidentState } from '#shared/domain/timeline.ts';
import { incident, MINUTE, reopenedLifecycle, settingsWith, T0 } from '../builders.ts';

const settings = settingsWith();
const JIRA_URL = 'https://acme.atlassian.net/browse/INC-1';
const COMMENT = 'error rate 30%';

function lifecycleState(): IncidentState {
  const state = foldIncident(reopenedLifecycle(), settings);
  if (!state) throw new Error('no incident');
  return { ...state, assignee: { accountId: 'acc-7', displayName: 'Zoë Ödegaard 🚀' } };
}

function causeOf(kind: NotificationCause['kind'], nth = 0): NotificationCause {
  const cause = causesOf(reopenedLifecycle(), settings).filter((candidate) => candidate.kind === kind)[nth];
  if (!cause) throw new Error(`no ${kind}`);
  return cause;
}

function inputFor(overrides: Partial<MessageInput> = {}): MessageInput {
  return {
    incident: lifecycleState(),
    cause: causeOf('mitigation'),
    audience: 'internal',
    jiraUrl: JIRA_URL,
    postmortemUrl: null,
    nowMs: T0 + 160 * MINUTE,
    nextUpdateInMinutes: 30,
    ...overrides,
  };
}

const KINDS = [
  'declaration',
  'severity-change',
  'stage-change',
  'mitigation',
  'resolution',
  'reopen',
] as const;

describe('emailFor', () => {
  it.each([
    { kind: 'declaration', subject: '[SEV2] INC-1 Checkout failing - declared' },
    { kind: 'severity-change', subject: '[SEV1] INC-1 Checkout failing - severity now SEV1' },
    { kind: 'mitigation', subject: '[SEV1] INC-1 Checkout failing - now Mitigating' },
    { kind: 'resolution', subject: '[SEV1] INC-1 Checkout failing - resolved' },
    { kind: 'reopen', subject: '[SEV1] INC-1 Checkout failing - reopened' },
  ] as const)('writes the subject of a $kind as "$subject"', ({ kind, subject }) => {
    const email = emailFor(inputFor({ cause: causeOf(kind) }));

    expect(email.subject).toBe(subject);
  });

  it('tells the team what happened, the impact, the stage, the time, the next update and the links', () => {
    const input = inputFor({ postmortemUrl: 'https://notion.so/pm-1' });

    const { body } = emailFor(input);

    expect(body).toContain('What happened: A fix or workaround for INC-1 is rolling out.');
    expect(body).toContain('Impact: severity SEV1; affected components: checkout-api.');
    expect(body).toContain('Stage: Mitigating (mitigation).');
    expect(body).toContain('Started: 2h 40m ago.');
    expect(body).toContain('Next update: within 30 minutes.');
    expect(body).toContain(`Jira: ${JIRA_URL}`);
    expect(body).toContain('Postmortem: https://notion.so/pm-1');
  });

  it('leaves out the next update and the links when there are none', () => {
    const input = inputFor({ jiraUrl: null, nextUpdateInMinutes: null });

    const { body } = emailFor(input);

    expect(body).not.toContain('Next update');
    expect(body).not.toContain('Jira:');
    expect(body).not.toContain('Postmortem:');
  });

  it('keeps subjects ASCII, on one line and under 100 characters whatever the summary', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.constantFrom(...KINDS),
        fc.constantFrom('internal', 'customer'),
        (summary, kind, audience) => {
          const state = lifecycleState();
          const input = inputFor({ incident: { ...state, summary }, cause: causeOf(kind), audience });

          const { subject } = emailFor(input);

          expect(subject).toMatch(/^[ -~]+$/);
          expect(subject.length).toBeLessThanOrEqual(99);
          expect(subject).toContain('INC-1');
          expect(subject).toMatch(/^\[SEV\d\] /);
        },
      ),
    );
  });

  it('cuts a long summary, never the key or the status', () => {
    const state = { ...lifecycleState(), summary: `Checkout ${'very '.repeat(40)}slow` };

    const { subject } = emailFor(inputFor({ incident: state }));

    expect(subject).toMatch(/^\[SEV1\] INC-1 Checkout very .*\.\.\. - now Mitigating$/);
    expect(subject.length).toBeLessThanOrEqual(99);
  });
});

describe('customer wording', () => {
  const internalTexts = [
    'Zoë',
    'Zoe',
    'Ödegaard',
    'Odegaard',
    COMMENT,
    'atlassian.net',
    '/browse/',
    'notion.so',
  ];

  it.each(KINDS)('leaks nothing internal in the customer email and SMS of a %s', (kind) => {
    const input = inputFor({
      cause: causeOf(kind),
      audience: 'customer',
      postmortemUrl: 'https://notion.so/pm-1',
    });

    const email = emailFor(input);
    const sms = smsFor(input);

    for (const text of [email.subject, email.body, sms]) {
      for (const internal of internalTexts) expect(text).not.toContain(internal);
    }
  });

  it('says what is affected, what is being done and when the next update comes', () => {
    const input = inputFor({ cause: causeOf('stage-change', 2), audience: 'customer' });

    const { subject, body } = emailFor(input);

    expect(subject).toBe('[SEV1] INC-1 Service disruption affecting checkout-api - investigating');
    expect(body).toContain('Affected: checkout-api.');
    expect(body).toContain('We are investigating the cause.');
    expect(body).toContain('Next update: within 30 minutes.');
  });
});

describe('smsFor', () => {
  it('fits key, severity, status, summary and the Jira link in one segment', () => {
    const sms = smsFor(inputFor());

    expect(sms).toBe(`[SEV1] INC-1 now Mitigating: Checkout failing ${JIRA_URL}`);
  });

  it.each([
    { name: 'an emoji and accented names', summary: '🔥 Café Zoë’s checkout – Łódź ✅ down' },
    { name: 'a long summary', summary: `Payments ${'degraded '.repeat(30)}` },
    { name: 'Chinese text', summary: '结账失败 checkout failing' },
  ])('keeps an SMS with $name to one GSM-7 segment', ({ summary }) => {
    const input = inputFor({ incident: { ...lifecycleState(), summary } });

    const sms = smsFor(input);

    expect(isGsm7(sms)).toBe(true);
    expect(smsSegments(sms)).toBe(1);
    expect(sms).toContain('[SEV1] INC-1 now Mitigating');
    expect(sms).toContain(JIRA_URL);
  });

  it('drops the Jira link rather than split when it cannot fit', () => {
    const jiraUrl = `https://acme.atlassian.net/browse/INC-1?${'x'.repeat(200)}`;

    const sms = smsFor(inputFor({ jiraUrl }));

    expect(sms).toBe('[SEV1] INC-1 now Mitigating: Checkout failing');
  });

  it('fits one segment for any summary, audience and cause', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.constantFrom(...KINDS),
        fc.constantFrom('internal', 'customer'),
        (summary, kind, audience) => {
          const input = inputFor({
            incident: { ...lifecycleState(), summary },
            cause: causeOf(kind),
            audience,
          });

          const sms = smsFor(input);

          expect(isGsm7(sms)).toBe(true);
          expect(smsSegments(sms)).toBe(1);
        },
      ),
    );
  });

  it('writes the SMS of an incident with no severity yet', () => {
    const inc = incident('10003', { priority: null, summary: 'Login slow' });
    const events = [inc.created(), inc.move(1, 2, 'Detected', 'Declared')];
    const state = foldIncident(events, settings);
    const [cause] = causesOf(events, settings);
    if (!state || !cause) throw new Error('no incident');

    const sms = smsFor(inputFor({ incident: state, cause, jiraUrl: null }));

    expect(sms).toBe('[SEV?] INC-1 declared: Login slow');
  });
});

const escalationState = (() => {
  const state = foldIncident(
    [incident('e9', { priority: 'Highest', key: 'INC-9' }).created()],
    settingsWith(),
  );
  if (!state) throw new Error('fold gave nothing');
  return state;
})();

describe('the escalation messages', () => {
  it('fit one SMS segment and an SNS subject whatever the summary', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (summary) => {
        const state = { ...escalationState, summary };

        const sms = escalationSmsFor(state, 16 * 60_000, 'https://acme.atlassian.net/browse/INC-9');
        const email = escalationEmailFor(state, 16 * 60_000, null);

        expect(smsSegments(sms)).toBe(1);
        expect(isGsm7(sms)).toBe(true);
        expect(email.subject.length).toBeLessThanOrEqual(99);
        expect(email.subject).toMatch(/^[\x20-\x7e]+$/);
      }),
    );
  });
});
