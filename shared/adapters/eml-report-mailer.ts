import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildMimeMessage } from '../domain/mime-message.ts';
import type { ReportMailer } from '../ports.ts';

/** Locally, nobody is mailed: these name the message's headers only. */
export const LOCAL_REPORT_ADDRESSES = {
  from: 'incident-flow@localhost',
  to: ['weekly-report@localhost'],
} as const;

/** The .eml file of a week's email in the outbox directory. */
export const emlPath = (dir: string, weekId: string): string => join(dir, `${weekId}.eml`);

/**
 * Writes each weekly email as `<dir>/<week>.eml`, the MIME message SES would send, which any mail
 * client opens; a second send of the same week replaces the file.
 */
export function createEmlReportMailer(
  dir: string,
  nowMs: () => number,
  addresses: { readonly from: string; readonly to: readonly string[] } = LOCAL_REPORT_ADDRESSES,
): ReportMailer {
  return {
    async send(email) {
      await mkdir(dir, { recursive: true });
      const path = emlPath(dir, email.weekId);
      await writeFile(path, buildMimeMessage({ ...email, ...addresses, dateMs: nowMs() }), 'utf8');
      return { messageId: path };
    },
  };
}
