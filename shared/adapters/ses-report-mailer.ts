import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { buildMimeMessage } from '../domain/mime-message.ts';
import { UpstreamUnavailableError } from '../errors.ts';
import type { ReportMailer } from '../ports.ts';

/** Who the weekly email is from and to; `from` belongs to a verified SES identity. */
export interface SesReportAddresses {
  readonly from: string;
  readonly to: readonly string[];
}

/** SES's refusals that say "not now" (a sending quota or its own fault), retried by the next run. */
const RETRYABLE = new Set(['TooManyRequestsException', 'LimitExceededException', 'InternalFailure']);

/**
 * Sends the weekly email through SES v2 as a raw MIME message (the same bytes as the local .eml), so
 * the plain text and the HTML travel as one multipart/alternative message.
 */
export function createSesReportMailer(
  client: SESv2Client,
  addresses: SesReportAddresses,
  nowMs: () => number,
): ReportMailer {
  return {
    async send(email) {
      const raw = buildMimeMessage({ ...email, from: addresses.from, to: addresses.to, dateMs: nowMs() });
      try {
        const result = await client.send(
          new SendEmailCommand({
            FromEmailAddress: addresses.from,
            Destination: { ToAddresses: [...addresses.to] },
            Content: { Raw: { Data: new TextEncoder().encode(raw) } },
          }),
        );
        return { messageId: result.MessageId ?? '' };
      } catch (error) {
        const name = (error as { name?: string } | null)?.name ?? '';
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
        // No cause kept: SES's refusals name the recipients they refused, and errors get logged.
        if (RETRYABLE.has(name) || status === 429 || status >= 500)
          throw new UpstreamUnavailableError(`SES refused the email now (${name || status})`);
        throw new Error(`SES did not send the weekly email (${name || status})`);
      }
    },
  };
}
