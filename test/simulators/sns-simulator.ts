import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message the simulator accepted. */
export interface PublishedMessage {
  readonly topicArn: string;
  readonly subject: string | undefined;
  readonly message: string;
  readonly messageId: string;
}

const MAX_MESSAGE_BYTES = 262_144;
const NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

function errorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

/** SNS's documented rule: ASCII, beginning with a letter, number or punctuation, no control characters, under 100. */
function subjectProblem(subject: string): string | null {
  if (subject.length === 0 || subject.length >= 100) return 'Subject must be less than 100 characters long';
  if (!/^[\x20-\x7e]+$/.test(subject))
    return 'Subject must be ASCII text without line breaks or control characters';
  if (!/^[A-Za-z0-9\p{P}]/u.test(subject))
    return 'Subject must begin with a letter, number or punctuation mark';
  return null;
}

/**
 * SNS's Publish over its real wire protocol (AWS Query: a form-encoded POST, an XML answer), with the
 * limits SNS enforces on email topics, so the SNS adapter is tested through @aws-sdk/client-sns itself.
 */
export async function startSnsSimulator(options: { failNext?: number } = {}) {
  const published: PublishedMessage[] = [];
  let failuresLeft = options.failNext ?? 0;
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const reply = (status: number, xml: string) => {
      response.writeHead(status, { 'content-type': 'text/xml' });
      response.end(xml);
    };
    if (form.get('Action') !== 'Publish')
      return reply(400, errorXml('InvalidAction', `not simulated: ${form.get('Action')}`));
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      return reply(400, errorXml('Throttling', 'Rate exceeded'));
    }
    const topicArn = form.get('TopicArn') ?? '';
    const message = form.get('Message') ?? '';
    const subject = form.get('Subject') ?? undefined;
    if (!topicArn.startsWith('arn:aws:sns:'))
      return reply(400, errorXml('InvalidParameter', 'Invalid parameter: TopicArn'));
    if (message.length === 0)
      return reply(400, errorXml('InvalidParameter', 'Invalid parameter: Empty message'));
    if (Buffer.byteLength(message, 'utf8') > MAX_MESSAGE_BYTES)
      return reply(400, errorXml('InvalidParameter', 'Invalid parameter: Message too long'));
    const problem = subject === undefined ? null : subjectProblem(subject);
    if (problem) return reply(400, errorXml('InvalidParameter', `Invalid parameter: Subject (${problem})`));
    const messageId = randomUUID();
    published.push({ topicArn, subject, message, messageId });
    reply(
      200,
      `<PublishResponse xmlns="${NAMESPACE}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    published,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
