import { Logger } from '@aws-lambda-powertools/logger';
import type { Log } from '../ports.ts';

/** Structured JSON logs in Lambda (Powertools logger), behind the Log port. */
export function createPowertoolsLog(serviceName: string): Log {
  const logger = new Logger({ serviceName });
  return {
    info: (message, details) => (details ? logger.info(message, details) : logger.info(message)),
    warn: (message, details) => (details ? logger.warn(message, details) : logger.warn(message)),
    error: (message, details) => (details ? logger.error(message, details) : logger.error(message)),
  };
}
