import type { Log } from '../ports.ts';

/** Log lines for a person at a terminal (local mode): level, message, details as JSON. */
export function createConsoleLog(
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Log {
  const line = (level: string) => (message: string, details?: Record<string, unknown>) =>
    write(`${new Date().toISOString()} ${level} ${message}${details ? ` ${JSON.stringify(details)}` : ''}`);
  return { info: line('info'), warn: line('warn'), error: line('error') };
}

/** A log that keeps nothing, for tests and benchmarks. */
export const silentLog: Log = { info: () => {}, warn: () => {}, error: () => {} };
