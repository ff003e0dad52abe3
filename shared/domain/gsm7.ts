// GSM 03.38: the basic character set (one septet each) and the extension table (escape + one septet).
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = '\f^{}\\[~]|€';
const BASIC_SET = new Set(BASIC);
const EXTENSION_SET = new Set(EXTENSION);

/** One SMS segment holds this many septets (GSM-7) or UTF-16 units (UCS-2); multipart ones fewer. */
export const SMS_LIMITS = {
  gsm7: { single: 160, multipart: 153 },
  ucs2: { single: 70, multipart: 67 },
} as const;

// Typography people paste from documents and chat, mapped to what every phone shows.
const LOOKALIKES: Readonly<Record<string, string>> = {
  '‘': "'",
  '’': "'",
  '‚': "'",
  '‛': "'",
  '′': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '″': '"',
  '«': '"',
  '»': '"',
  '‹': "'",
  '›': "'",
  '–': '-',
  '—': '-',
  '‒': '-',
  '―': '-',
  '‐': '-',
  '‑': '-',
  '−': '-',
  '…': '...',
  '•': '*',
  '·': '.',
  '×': 'x',
  '\t': ' ',
  '\u00a0': ' ',
  '\u2007': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
  ß: 'ss',
  Æ: 'AE',
  æ: 'ae',
  Œ: 'OE',
  œ: 'oe',
  Ø: 'O',
  ø: 'o',
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ð: 'D',
  ð: 'd',
  Þ: 'Th',
  þ: 'th',
  ı: 'i',
};

// Parts of emoji and invisible joiners: dropped, since a '?' for each would read as noise.
const DROPPED = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|\p{M}|\p{Cf}/u;

/** True when every character is in the GSM 03.38 basic set or its extension table. */
export function isGsm7(text: string): boolean {
  for (const char of text) if (!BASIC_SET.has(char) && !EXTENSION_SET.has(char)) return false;
  return true;
}

/** The text's length in septets: an extension-table character takes two. */
export function gsm7Length(text: string): number {
  let septets = 0;
  for (const char of text) septets += EXTENSION_SET.has(char) ? 2 : 1;
  return septets;
}

function transliterate(text: string, keeps: (char: string) => boolean): string {
  let out = '';
  for (const char of text) {
    if (keeps(char)) {
      out += char;
      continue;
    }
    const lookalike = LOOKALIKES[char];
    if (lookalike !== undefined && [...lookalike].every(keeps)) {
      out += lookalike;
      continue;
    }
    const [base = '', ...marks] = char.normalize('NFD');
    if (marks.length > 0 && keeps(base) && marks.every((mark) => /\p{M}/u.test(mark))) {
      out += base;
      continue;
    }
    if (DROPPED.test(char)) continue;
    out += /[\p{Cc}\p{Z}]/u.test(char) ? ' ' : '?';
  }
  return out;
}

/**
 * The text in GSM-7: diacritics stripped where the base letter is GSM, typographic punctuation made
 * plain, emoji dropped, anything else '?'. So one accented name or emoji never forces UCS-2.
 */
export function toGsm7(text: string): string {
  return transliterate(text, (char) => BASIC_SET.has(char) || EXTENSION_SET.has(char));
}

/** The text in printable ASCII on one line: the same replacements as toGsm7, control characters as spaces. */
export function toAscii(text: string): string {
  return transliterate(text, (char) => char >= ' ' && char <= '~');
}

/** How many SMS segments the text takes: GSM-7 when it can be, else UCS-2, never splitting a character. */
export function smsSegments(text: string): number {
  const gsm = isGsm7(text);
  const limits = gsm ? SMS_LIMITS.gsm7 : SMS_LIMITS.ucs2;
  const sizes = [...text].map((char) => (gsm ? (EXTENSION_SET.has(char) ? 2 : 1) : char.length));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total <= limits.single) return 1;
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > limits.multipart) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return segments;
}
