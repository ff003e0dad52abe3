import { describe, expect, it } from 'vitest';
import {
  buildMimeMessage,
  encodeQuotedPrintable,
  MIME_BOUNDARY,
  mailDate,
  subjectHeader,
} from '#shared/domain/mime-message.ts';

/** Quoted-printable back to text, as a mail client reads it. */
function decodeQuotedPrintable(encoded: string): string {
  const joined = encoded.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i += 1) {
    if (joined[i] === '=') {
      bytes.push(Number.parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(joined.charCodeAt(i));
  }
  return new TextDecoder().decode(new Uint8Array(bytes)).replace(/\r\n/g, '\n');
}

const email = {
  from: 'reports@example.com',
  to: ['reader@example.com', 'lead@example.com'],
  subject: 'Incidents, week 47 (Nov 16-22): 5 opened, MTTR 4h 45m (up 69%)',
  text: 'Plain text first\n',
  html: '<!DOCTYPE html>\n<html lang="en"><body><p>Straße · 5 opened</p></body></html>\n',
  dateMs: Date.parse('2026-11-23T09:00:00Z'),
};

describe('encodeQuotedPrintable', () => {
  it.each([
    ['plain ASCII stays readable', 'MTTR 4h 45m', 'MTTR 4h 45m'],
    ['an equals sign is escaped', 'a=b', 'a=3Db'],
    ['UTF-8 becomes its bytes', 'Straße', 'Stra=C3=9Fe'],
    ['a space before the line end is escaped', 'end ', 'end=20'],
    ['a line starting "From " is escaped for mbox readers', 'From here', '=46rom here'],
  ])('%s', (_name, text, encoded) => {
    expect(encodeQuotedPrintable(text)).toBe(encoded);
  });

  it('wraps long lines at 76 characters with soft breaks, never inside an escape, and decodes back', () => {
    const text = `${'é'.repeat(60)} ${'x'.repeat(200)}\nsecond line`;

    const encoded = encodeQuotedPrintable(text);

    expect(Math.max(...encoded.split('\r\n').map((line) => line.length))).toBeLessThanOrEqual(76);
    expect(decodeQuotedPrintable(encoded)).toBe(text);
  });
});

describe('subjectHeader', () => {
  it('keeps an ASCII subject as written', () => {
    expect(subjectHeader('Incidents, week 47')).toBe('Subject: Incidents, week 47');
  });

  it('encodes a non-ASCII subject as UTF-8 encoded words of at most 75 characters', () => {
    const header = subjectHeader(`Incidents — week 47 ${'ü'.repeat(40)}`);

    const words = header.replace(/^Subject: /, '').split('\r\n ');
    const decoded = words
      .map((word) =>
        new TextDecoder().decode(Uint8Array.from(atob(word.slice(10, -2)), (c) => c.charCodeAt(0))),
      )
      .join('');

    expect(words.every((word) => /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/.test(word) && word.length <= 75)).toBe(
      true,
    );
    expect(decoded).toBe(`Incidents — week 47 ${'ü'.repeat(40)}`);
  });

  it('cannot carry a second header: line breaks become spaces', () => {
    expect(subjectHeader('Weekly\r\nBcc: someone@example.com')).toBe(
      'Subject: Weekly Bcc: someone@example.com',
    );
  });
});

describe('buildMimeMessage', () => {
  it('sends the plain text first and the HTML last, both UTF-8 quoted-printable, with CRLF line ends', () => {
    const message = buildMimeMessage(email);

    const [head = '', ...rest] = message.split('\r\n\r\n');
    const parts = message.split(`--${MIME_BOUNDARY}`);

    expect(head.split('\r\n')).toEqual([
      'From: reports@example.com',
      'To: reader@example.com, lead@example.com',
      'Subject: Incidents, week 47 (Nov 16-22): 5 opened, MTTR 4h 45m (up 69%)',
      'Date: Mon, 23 Nov 2026 09:00:00 +0000',
      'MIME-Version: 1.0',
      `Content-Type: multipart/alternative; boundary="${MIME_BOUNDARY}"`,
    ]);
    expect(rest.length).toBeGreaterThan(0);
    expect(parts).toHaveLength(4);
    expect(parts[1]).toContain(
      'Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable',
    );
    expect(parts[2]).toContain(
      'Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable',
    );
    // The CRLF before a boundary belongs to the boundary (RFC 2046).
    const htmlPart = parts[2] ?? '';
    const htmlBody = htmlPart.slice(htmlPart.indexOf('\r\n\r\n') + 4).replace(/\r\n$/, '');
    expect(decodeQuotedPrintable(htmlBody)).toBe(email.html);
    expect(parts[3]).toBe('--\r\n');
    expect(message.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('refuses an address that would add a header', () => {
    expect(() => buildMimeMessage({ ...email, to: ['a@example.com\r\nBcc: b@example.com'] })).toThrow(
      /line break/,
    );
  });

  it('writes the date as RFC 5322 does, in UTC', () => {
    expect(mailDate(Date.parse('2026-01-05T23:04:05Z'))).toBe('Mon, 05 Jan 2026 23:04:05 +0000');
  });
});
