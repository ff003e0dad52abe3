import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';

/**
 * dynalite's own thread (started by local-dynamo.ts): the local table answers beside the local
 * server's handlers and processor instead of queueing behind them on one event loop, as DynamoDB is
 * a service of its own on AWS. Messages: {listening, port} or {failed, code, message} once, then
 * 'close' from the parent closes the server (and its LevelDB store) and ends the thread.
 */
const { port, dataDir } = workerData as { readonly port: number; readonly dataDir: string | undefined };
const server = dynalite({ path: dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.once('error', (error: NodeJS.ErrnoException) => {
  parentPort?.postMessage({ kind: 'failed', code: error.code, message: error.message });
});
server.listen(port, '127.0.0.1', () => {
  parentPort?.postMessage({ kind: 'listening', port: (server.address() as AddressInfo).port });
});
parentPort?.on('message', (message: unknown) => {
  if (message === 'close') server.close(() => parentPort?.close());
});
