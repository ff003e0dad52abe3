import { vi } from 'vitest';

/** One line as Powertools' logger writes it: a JSON object with its level, message and service. */
export interface LoggedLine {
  readonly level: string;
  readonly message: string;
  readonly service?: string;
  readonly [key: string]: unknown;
}

/**
 * Captures what the process writes to stdout and stderr (where Powertools' logger prints, one JSON
 * object a line) until `stop`, writing none of it, so a test reads the log a function really writes.
 */
export function captureLogLines() {
  const raw: string[] = [];
  const keep = (chunk: string | Uint8Array) => {
    raw.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line.length > 0),
    );
    return true;
  };
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(keep);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(keep);
  return {
    /** The lines as written, for a metric filter to read. */
    raw,
    /** The lines parsed; a line that is not JSON fails here, as it would fail a JSON filter pattern. */
    lines: (): LoggedLine[] => raw.map((line) => JSON.parse(line) as LoggedLine),
    stop: () => {
      stdout.mockRestore();
      stderr.mockRestore();
    },
  };
}
