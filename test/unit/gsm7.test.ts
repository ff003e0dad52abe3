import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gsm7Length, isGsm7, smsSegments, toAscii, toGsm7 } from '#shared/domain/gsm7.ts';

describe('toGsm7', () => {
  it.each([
    { text: 'Checkout failing', expected: 'Checkout failing' },
    { text: 'Zoë Müller-Łukasiewicz', expected: 'Zoe Müller-Lukasiewicz' },
    { text: 'François Ćosić', expected: 'Francois Cosic' },
    { text: 'It’s “down” – again…', expected: 'It\'s "down" - again...' },
    { text: 'Fire 🔥 in prod 👩🏽‍💻', expected: 'Fire  in prod ' },
    { text: 'Tokyo 東京', expected: 'Tokyo ??' },
    { text: 'Price €5 [eu]', expected: 'Price €5 [eu]' },
  ])('turns "$text" into "$expected"', ({ text, expected }) => {
    const converted = toGsm7(text);

    expect(converted).toBe(expected);
    expect(isGsm7(converted)).toBe(true);
  });

  it('always yields GSM-7 text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(isGsm7(toGsm7(text))).toBe(true);
      }),
    );
  });
});

describe('toAscii', () => {
  it('always yields printable ASCII', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(toAscii(text)).toMatch(/^[ -~]*$/);
      }),
    );
  });
});

describe('smsSegments', () => {
  it.each([
    { name: '160 GSM-7 characters fit one segment', text: 'a'.repeat(160), segments: 1 },
    { name: '161 GSM-7 characters take two segments of 153', text: 'a'.repeat(161), segments: 2 },
    { name: 'extension characters count twice', text: '€'.repeat(81), segments: 2 },
    { name: '70 UCS-2 characters fit one segment', text: 'ę'.repeat(70), segments: 1 },
    { name: '71 UCS-2 characters take two segments of 67', text: 'ę'.repeat(71), segments: 2 },
    { name: '135 UCS-2 characters take three segments', text: 'ę'.repeat(135), segments: 3 },
  ])('counts that $name', ({ text, segments }) => {
    const counted = smsSegments(text);

    expect(counted).toBe(segments);
  });

  it('measures extension characters as two septets', () => {
    const septets = gsm7Length('{a}');

    expect(septets).toBe(5);
  });
});
