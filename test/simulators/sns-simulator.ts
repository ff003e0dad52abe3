import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A message the simulator accepted: to a topic or to one phone number. Fields a request did not carry
 * (a structure, attributes, a subject) are undefined, so a plain topic publish reads as it always did.
 */
export type PublishedMessage = (
  | { readonly topicArn: string; readonly phoneNumber?: undefined }
  | { readonly phoneNumber: string; readonly topicArn?: undefined }
) & {
  readonly subject: string | undefined;
  readonly message: string;
  readonly messageStructure?: 'json' | undefined;
  /** Attribute name → its string value, when the publish carried any. */
  readonly messageAttributes?: Readonly<Record<string, string>> | undefined;
  readonly messageId: string;
};

/** An email subscription the simulator holds; SNS mails a confirmation link until it is confirmed. */
export interface SimulatedSubscription {
  readonly topicArn: string;
  readonly endpoint: string;
  readonly subscriptionArn: string;
  confirmed: boolean;
  /** How many confirmation emails SNS sent: one per Subscribe while the subscription is pending. */
  confirmationsSent: number;
}

export interface SnsSimulatorOptions {
  /** Answer the next N requests with HTTP 400 Throttling, as SNS does when over its rate. */
  readonly failNext?: number;
  /** Answer the next N requests (after any throttling) with HTTP 500 InternalError. */
  readonly failNextWith5xx?: number;
  /** Phone numbers (E.164) that replied STOP. */
  readonly optedOut?: readonly string[];
}

const MAX_MESSAGE_BYTES = 262_144;
const MAX_SMS_CHARACTERS = 1600;
const E164 = /^\+[1-9]\d{6,14}$/;
const SMS_TYPES = new Set(['Promotional', 'Transactional']);
const PROTOCOLS = new Set([
  'http',
  'https',
  'email',
  'email-json',
  'sms',
  'sqs',
  'application',
  'lambda',
  'firehose',
]);
// What SNS takes as an email endpoint: one ASCII local@domain, the domain dotted, no spaces.
const EMAIL_ENDPOINT =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** A refusal: its HTTP status, SNS's error code and message. */
interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

const invalid = (message: string): Refusal => ({
  status: 400,
  code: 'InvalidParameter',
  message: `Invalid parameter: ${message}`,
});

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

function errorXml({ status, code, message }: Refusal): string {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

function resultXml(action: string, result: string): string {
  return `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
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

/** The Query protocol's map: MessageAttributes.entry.N.Name, .Value.DataType, .Value.StringValue. */
function messageAttributesOf(
  form: URLSearchParams,
): { readonly attributes: Record<string, string> } | { readonly refusal: Refusal } {
  const attributes: Record<string, string> = {};
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n += 1) {
    const prefix = `MessageAttributes.entry.${n}`;
    const name = form.get(`${prefix}.Name`) ?? '';
    const dataType = form.get(`${prefix}.Value.DataType`);
    const value = form.get(`${prefix}.Value.StringValue`);
    if (dataType === null) return { refusal: invalid(`MessageAttributes Reason: no DataType for ${name}`) };
    if (value === null) return { refusal: invalid(`MessageAttributes Reason: no StringValue for ${name}`) };
    if (name === 'AWS.SNS.SMS.SMSType' && !SMS_TYPES.has(value))
      return { refusal: invalid(`MessageAttributes Reason: ${name} must be Promotional or Transactional`) };
    attributes[name] = value;
  }
  return { attributes };
}

/** The text a phone receives: the `sms` entry of a JSON structure, else its `default`, else the message. */
function smsTextOf(message: string, structure: Record<string, unknown> | null): string {
  if (structure === null) return message;
  const sms = structure.sms ?? structure.default;
  return typeof sms === 'string' ? sms : '';
}

function publish(form: URLSearchParams, published: PublishedMessage[]): Refusal | string {
  const topicArn = form.get('TopicArn') ?? undefined;
  const phoneNumber = form.get('PhoneNumber') ?? undefined;
  const message = form.get('Message') ?? '';
  const subject = form.get('Subject') ?? undefined;
  const messageStructure = form.get('MessageStructure') ?? undefined;

  if ((topicArn === undefined) === (phoneNumber === undefined))
    return invalid('TopicArn or PhoneNumber Reason: exactly one of them is required');
  if (topicArn !== undefined && !topicArn.startsWith('arn:aws:sns:')) return invalid('TopicArn');
  if (phoneNumber !== undefined && !E164.test(phoneNumber))
    return invalid(`PhoneNumber Reason: ${phoneNumber} is not valid to publish to`);
  if (message.length === 0) return invalid('Empty message');
  if (Buffer.byteLength(message, 'utf8') > MAX_MESSAGE_BYTES) return invalid('Message too long');
  const problem = subject === undefined ? null : subjectProblem(subject);
  if (problem) return invalid(`Subject (${problem})`);

  let structure: Record<string, unknown> | null = null;
  if (messageStructure !== undefined) {
    if (messageStructure !== 'json') return invalid('MessageStructure Reason: must be json');
    try {
      structure = JSON.parse(message) as Record<string, unknown>;
    } catch {
      return invalid('Message Structure - JSON message body failed to parse');
    }
    if (typeof structure?.default !== 'string')
      return invalid('Message Structure - No default entry in JSON message body');
  }
  if (phoneNumber !== undefined && smsTextOf(message, structure).length > MAX_SMS_CHARACTERS)
    return invalid(`Message too long for SMS (over ${MAX_SMS_CHARACTERS} characters)`);

  const parsed = messageAttributesOf(form);
  if ('refusal' in parsed) return parsed.refusal;
  const { attributes } = parsed;

  const messageId = randomUUID();
  const destination = topicArn !== undefined ? { topicArn } : { phoneNumber: phoneNumber ?? '' };
  published.push({
    ...destination,
    subject,
    message,
    messageStructure: structure === null ? undefined : 'json',
    messageAttributes: Object.keys(attributes).length > 0 ? attributes : undefined,
    messageId,
  });
  return resultXml('Publish', `<MessageId>${messageId}</MessageId>`);
}

/**
 * Subscribe as SNS documents it: a new or still pending email endpoint gets a confirmation email and,
 * unless ReturnSubscriptionArn is true, the answer "pending confirmation"; a confirmed one its ARN.
 */
function subscribe(form: URLSearchParams, subscriptions: SimulatedSubscription[]): Refusal | string {
  const topicArn = form.get('TopicArn') ?? '';
  const protocol = form.get('Protocol') ?? '';
  const endpoint = form.get('Endpoint') ?? '';
  if (!topicArn.startsWith('arn:aws:sns:')) return invalid('TopicArn');
  if (!PROTOCOLS.has(protocol)) return invalid(`Invalid protocol type: ${protocol}`);
  if (protocol === 'email' && (endpoint.length > 254 || !EMAIL_ENDPOINT.test(endpoint)))
    return invalid('Email address');
  let subscription = subscriptions.find((each) => each.topicArn === topicArn && each.endpoint === endpoint);
  if (subscription === undefined) {
    subscription = {
      topicArn,
      endpoint,
      subscriptionArn: `${topicArn}:${randomUUID()}`,
      confirmed: false,
      confirmationsSent: 0,
    };
    subscriptions.push(subscription);
  }
  if (!subscription.confirmed) subscription.confirmationsSent += 1;
  const arn =
    subscription.confirmed || form.get('ReturnSubscriptionArn') === 'true'
      ? subscription.subscriptionArn
      : 'pending confirmation';
  return resultXml('Subscribe', `<SubscriptionArn>${escapeXml(arn)}</SubscriptionArn>`);
}

function checkIfPhoneNumberIsOptedOut(
  form: URLSearchParams,
  optedOut: ReadonlySet<string>,
): Refusal | string {
  const phoneNumber = form.get('phoneNumber') ?? '';
  // The format of the number is judged by Publish (a number never seen has not opted out).
  if (phoneNumber === '') return invalid('phoneNumber Reason: no value for required parameter');
  return resultXml('CheckIfPhoneNumberIsOptedOut', `<isOptedOut>${optedOut.has(phoneNumber)}</isOptedOut>`);
}

/**
 * SNS over its real wire protocol (AWS Query: a form-encoded POST, an XML answer): Publish to a topic or
 * to a phone number, CheckIfPhoneNumberIsOptedOut and Subscribe, with the limits SNS enforces, so the SNS adapters
 * are tested through @aws-sdk/client-sns itself.
 */
export async function startSnsSimulator(options: SnsSimulatorOptions = {}) {
  const published: PublishedMessage[] = [];
  const subscriptions: SimulatedSubscription[] = [];
  const optedOut = new Set(options.optedOut ?? []);
  let throttlesLeft = options.failNext ?? 0;
  let internalErrorsLeft = options.failNextWith5xx ?? 0;

  function answer(form: URLSearchParams): Refusal | string {
    const action = form.get('Action');
    if (action !== 'Publish' && action !== 'CheckIfPhoneNumberIsOptedOut' && action !== 'Subscribe')
      return { status: 400, code: 'InvalidAction', message: `not simulated: ${action}` };
    if (throttlesLeft > 0) {
      throttlesLeft -= 1;
      return { status: 400, code: 'Throttling', message: 'Rate exceeded' };
    }
    if (internalErrorsLeft > 0) {
      internalErrorsLeft -= 1;
      return { status: 500, code: 'InternalError', message: 'Internal error' };
    }
    if (action === 'Subscribe') return subscribe(form, subscriptions);
    return action === 'Publish' ? publish(form, published) : checkIfPhoneNumberIsOptedOut(form, optedOut);
  }

  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const outcome = answer(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const [status, xml] = typeof outcome === 'string' ? [200, outcome] : [outcome.status, errorXml(outcome)];
    response.writeHead(status, { 'content-type': 'text/xml' });
    response.end(xml);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    published,
    subscriptions,
    /** The subscriber clicked the link SNS mailed to `endpoint`. */
    confirm(endpoint: string) {
      for (const subscription of subscriptions)
        if (subscription.endpoint === endpoint) subscription.confirmed = true;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
