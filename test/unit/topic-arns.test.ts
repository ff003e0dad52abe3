import { describe, expect, it } from 'vitest';
import { parseTopicArns } from '#shared/lambda/topic-arns.ts';

describe('the group topics a notifying function is given', () => {
  it('are read from JSON by group', () => {
    expect(parseTopicArns('{"manage-closely":"arn:aws:sns:eu-west-1:123456789012:mc"}')).toEqual({
      'manage-closely': 'arn:aws:sns:eu-west-1:123456789012:mc',
    });
  });

  it.each([
    ['text that is not JSON', 'manage-closely=arn', /NOTIFY_TOPIC_ARNS: expected JSON/],
    ['an unknown group', '{"execs":"arn:aws:sns:eu-west-1:1:x"}', /NOTIFY_TOPIC_ARNS[\s\S]*execs/],
    [
      'something that is not an ARN',
      '{"keep-informed":"https://sns"}',
      /NOTIFY_TOPIC_ARNS[\s\S]*keep-informed/,
    ],
  ])('refuse %s, naming the variable', (_name, text, message) => {
    expect(() => parseTopicArns(text)).toThrow(message);
  });
});
