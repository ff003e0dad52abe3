/** The closed set of failures callers are told about. */
export type AppErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'not_found'
  | 'payload_too_large'
  | 'invalid_settings'
  | 'upstream_unavailable'
  | 'upstream_refused';

/** A failure of ours, with a narrow code that decides what a caller sees. */
export abstract class AppError extends Error {
  abstract readonly code: AppErrorCode;
}

/** One problem with a request, located by its path in the body. */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

export class BadRequestError extends AppError {
  readonly code = 'bad_request';
  readonly problems: readonly FieldProblem[];
  constructor(message: string, problems: readonly FieldProblem[] = [], options?: ErrorOptions) {
    super(message, options);
    this.problems = problems;
    this.name = 'BadRequestError';
  }
}

export class UnauthorizedError extends AppError {
  readonly code = 'unauthorized';
  constructor(message = 'missing or invalid webhook signature', options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnauthorizedError';
  }
}

export class NotFoundError extends AppError {
  readonly code = 'not_found';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}

export class PayloadTooLargeError extends AppError {
  readonly code = 'payload_too_large';
  readonly limitBytes: number;
  constructor(limitBytes: number, options?: ErrorOptions) {
    super(`the body is larger than ${limitBytes} bytes`, options);
    this.limitBytes = limitBytes;
    this.name = 'PayloadTooLargeError';
  }
}

export class SettingsError extends AppError {
  readonly code = 'invalid_settings';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SettingsError';
  }
}

export class UpstreamUnavailableError extends AppError {
  readonly code = 'upstream_unavailable';
  readonly retryAfterMs: number | null;
  constructor(message: string, retryAfterMs: number | null = null, options?: ErrorOptions) {
    super(message, options);
    this.retryAfterMs = retryAfterMs;
    this.name = 'UpstreamUnavailableError';
  }
}

/**
 * A service we call refused the request (a 400, 401, 403 or 404): waiting will not fix it, so it is not
 * retried; the message names the field or setting to change.
 */
export class UpstreamRefusedError extends AppError {
  readonly code = 'upstream_refused';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UpstreamRefusedError';
  }
}
