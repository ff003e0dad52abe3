/** An email with a plain-text body and the same content as HTML. */
export type AlternativeEmail = {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The Date header. */
  readonly dateMs: number;
  /** The Message-ID header without its angle brackets; absent, the sending service sets one. */
  readonly messageId?: string | undefined;
};

/**
 * The boundary between the parts. "=_" cannot occur in a quoted-printable body (every "=" there starts
 * "=XX" with hex digits or ends a line), so a fixed boundary is safe and the message is reproducible.
 */
export const MIME_BOUNDARY = '=_incident-flow-alternative';

/** RFC 5322 recommends header and body lines of at most 78 characters; quoted-printable allows 76. */
const QP_LINE_MAX = 76;
const HEADER_LINE_MAX = 78;
const CRLF = '\r\n';

const hex = (byte: number): string => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;

function encodeQuotedPrintableLine(line: string): string[] {
  const bytes = new TextEncoder().encode(line);
  const tokens: string[] = [];
  bytes.forEach((byte, i) => {
    const isLast = i === bytes.length - 1;
    const isPrintable = byte >= 33 && byte <= 126 && byte !== 61;
    const isInnerSpace = (byte === 32 || byte === 9) && !isLast;
    // A line starting "From " is mangled by mbox tools, one starting "." by some SMTP relays.
    const isRisky = i === 0 && (byte === 46 || (byte === 70 && line.startsWith('From ')));
    tokens.push((isPrintable || isInnerSpace) && !isRisky ? String.fromCharCode(byte) : hex(byte));
  });
  const lines: string[] = [];
  let current = '';
  for (const token of tokens) {
    // Room for the soft break's "=" at the end of each wrapped line; an =XX token is never split.
    if (current.length + token.length > QP_LINE_MAX - 1) {
      lines.push(`${current}=`);
      current = '';
    }
    current += token;
  }
  lines.push(current);
  return lines;
}

/** Text as quoted-printable UTF-8 (RFC 2045): readable where ASCII, lines of at most 76 characters, CRLF. */
export function encodeQuotedPrintable(text: string): string {
  return text.replace(/\r\n?/g, '\n').split('\n').flatMap(encodeQuotedPrintableLine).join(CRLF);
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Encoded words of at most 75 characters each, cut between characters, never inside one. */
function encodedWords(text: string): string[] {
  const words: string[] = [];
  let chunk = '';
  const word = (part: string) => `=?UTF-8?B?${base64(new TextEncoder().encode(part))}?=`;
  for (const character of text) {
    if (word(chunk + character).length > 75) {
      words.push(word(chunk));
      chunk = '';
    }
    chunk += character;
  }
  if (chunk !== '') words.push(word(chunk));
  return words;
}

/** Folds a header's value at spaces so that no line passes 78 characters where a space allows. */
function foldHeader(name: string, value: string): string {
  const lines: string[] = [];
  let current = `${name}:`;
  for (const word of value.split(' ')) {
    if (current.length + 1 + word.length > HEADER_LINE_MAX && current.trim() !== `${name}:`) {
      lines.push(current);
      current = '';
    }
    current += ` ${word}`;
  }
  lines.push(current);
  return lines.join(CRLF);
}

/** A subject as a header: as written when ASCII, else RFC 2047 encoded words of UTF-8. */
export function subjectHeader(subject: string): string {
  const oneLine = subject.replace(/[\r\n]+/g, ' ').trim();
  if (/^[\x20-\x7e]*$/.test(oneLine)) return foldHeader('Subject', oneLine);
  return `Subject: ${encodedWords(oneLine).join(`${CRLF} `)}`;
}

/** The date as RFC 5322 writes it, in UTC: "Mon, 23 Nov 2026 09:00:00 +0000". */
export function mailDate(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}

function address(value: string): string {
  if (/[\r\n<>,;"]/.test(value))
    throw new Error('an email address may hold no line break, <, >, comma or quote');
  return value;
}

function part(contentType: string, body: string): string {
  return [
    `Content-Type: ${contentType}; charset=UTF-8`,
    'Content-Transfer-Encoding: quoted-printable',
    '',
    encodeQuotedPrintable(body),
  ].join(CRLF);
}

/**
 * A complete MIME message (RFC 5322, 2045-2047), CRLF line ends: multipart/alternative with the plain
 * text first and the HTML last (clients show the last part they can), both UTF-8 and quoted-printable,
 * the subject encoded where it is not ASCII. The same bytes go to SES and into a local .eml file.
 */
export function buildMimeMessage(email: AlternativeEmail): string {
  if (email.to.length === 0) throw new Error('an email needs at least one recipient');
  const headers = [
    `From: ${address(email.from)}`,
    foldHeader('To', email.to.map(address).join(', ')),
    subjectHeader(email.subject),
    `Date: ${mailDate(email.dateMs)}`,
    ...(email.messageId ? [`Message-ID: <${address(email.messageId)}>`] : []),
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${MIME_BOUNDARY}"`,
  ];
  return [
    ...headers,
    '',
    'This is a multi-part message in MIME format.',
    `--${MIME_BOUNDARY}`,
    part('text/plain', email.text),
    `--${MIME_BOUNDARY}`,
    part('text/html', email.html),
    `--${MIME_BOUNDARY}--`,
    '',
  ].join(CRLF);
}
