import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { type Directory, directorySchema } from '../domain/stakeholder-directory.ts';
import { SettingsError } from '../errors.ts';

/** The stakeholder directory from a JSON file; errors name the file and the field, never a contact. */
export function readDirectoryFile(path: string): Directory {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SettingsError(
      `notifications.directory.file: cannot read ${path} as JSON (${(error as Error).name})`,
      { cause: error },
    );
  }
  const parsed = directorySchema.safeParse(value);
  if (!parsed.success)
    throw new SettingsError(`notifications.directory.file ${path}:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
