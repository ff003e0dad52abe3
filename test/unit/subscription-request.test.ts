import { describe, expect, it } from 'vitest';
import { maskEmail, parseSubscriptionRequest } from '#shared/domain/subscription-request.ts';

const formOf = (body: string) => new URLSearchParams(body);

describe('a request to get updates by email', () => {
  it.each([
    ['reader@example.com', 'reader@example.com'],
    ['  first.last+status@mail.example.co.uk ', 'first.last+status@mail.example.co.uk'],
    ["o'neil@example-corp.io", "o'neil@example-corp.io"],
  ])('takes %j as the address %j', (value, email) => {
    const request = parseSubscriptionRequest(formOf(`email=${encodeURIComponent(value)}`));

    expect(request).toEqual({ kind: 'valid', email });
  });

  it.each([
    ['no field', ''],
    ['an empty field', 'email='],
    ['no @', 'email=reader.example.com'],
    ['no domain', 'email=reader%40'],
    ['a domain without a dot', 'email=reader%40localhost'],
    ['a space inside', 'email=read%20er%40example.com'],
    ['two @', 'email=a%40b%40example.com'],
    ['a dot to start', 'email=.reader%40example.com'],
    ['two dots in a row', 'email=re..ader%40example.com'],
    ['a label ending in a hyphen', 'email=reader%40example-.com'],
    ['a numeric top level', 'email=reader%4010.0.0.1'],
    ['a character outside ASCII', 'email=l%C3%A9a%40example.com'],
    ['a line break', 'email=reader%40example.com%0ABcc%3A%20x%40example.com'],
    ['a local part over 64 characters', `email=${'a'.repeat(65)}%40example.com`],
    ['an address over 254 characters', `email=reader%40${'a'.repeat(250)}.com`],
    ['two addresses', 'email=a%40example.com&email=b%40example.com'],
  ])('refuses %s, naming the email field', (_case, body) => {
    const request = parseSubscriptionRequest(formOf(body));

    expect(request).toMatchObject({ kind: 'invalid', problem: { path: 'email' } });
    expect(request.kind === 'invalid' && request.problem.message).toMatch(/^email: /);
  });

  it('masks an address for a log line, keeping only its first character and top level', () => {
    const masked = maskEmail('reader@example.com');

    expect(masked).toBe('r***@***.com');
  });
});
