import { Agent, request as httpRequest } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import type { Delivery } from '../bin/demo-lifecycle.ts';

/**
 * The bench's stand-in for Jira, on a thread of its own so that sending the webhooks does not take
 * the local server's event loop: `concurrency` senders, each taking one incident's deliveries in
 * order, over keep-alive sockets. Posts back each answer's latency, status and text, and the absolute
 * time (performance.timeOrigin + now) of the first send and the last answer.
 */
export interface SenderJob {
  readonly endpoint: string;
  readonly concurrency: number;
  readonly groups: readonly (readonly Delivery[])[];
}

export interface SenderAnswer {
  readonly label: string;
  readonly latencyMs: number;
  /** 0 for a network error. */
  readonly status: number;
  readonly text: string;
}

export interface SenderResult {
  readonly answers: SenderAnswer[];
  readonly startedAtMs: number;
  readonly lastAnswerAtMs: number;
}

const job = workerData as SenderJob;
const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
const { hostname, port, pathname } = new URL(job.endpoint);
const absoluteNow = (): number => performance.timeOrigin + performance.now();

const send = (delivery: Delivery): Promise<{ status: number; text: string }> =>
  new Promise((resolve) => {
    const request = httpRequest(
      {
        agent,
        hostname,
        port,
        path: pathname,
        method: 'POST',
        headers: { ...delivery.headers, 'content-length': Buffer.byteLength(delivery.body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', (error) => resolve({ status: 0, text: error.message }));
      },
    );
    request.on('error', (error) => resolve({ status: 0, text: error.message }));
    request.end(delivery.body);
  });

const answers: SenderAnswer[] = [];
let next = 0;
let lastAnswerAtMs = 0;
const sender = async (): Promise<void> => {
  for (let group = next++; group < job.groups.length; group = next++) {
    for (const delivery of job.groups[group] ?? []) {
      const startedMs = performance.now();
      const { status, text } = await send(delivery);
      lastAnswerAtMs = absoluteNow();
      answers.push({ label: delivery.label, latencyMs: performance.now() - startedMs, status, text });
    }
  }
};
const startedAtMs = absoluteNow();
await Promise.all(Array.from({ length: job.concurrency }, sender));
agent.destroy();
parentPort?.postMessage({ answers, startedAtMs, lastAnswerAtMs } satisfies SenderResult);
