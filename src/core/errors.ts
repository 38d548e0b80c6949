/**
 * The errors services throw: what went wrong in the terms of the domain, with no HTTP in them. The HTTP layer
 * turns each kind into a status and FastAPI's `{"detail"}` shape in one place (src/http/errors.ts); the command
 * line prints them. `detail` is what the client is told, so it never quotes a password, token or code.
 */
export abstract class DomainError extends Error {
  constructor(readonly detail: unknown) {
    super(typeof detail === 'string' ? detail : JSON.stringify(detail));
  }
}

/** One entry of a FastAPI-style 422 body: where the problem is, what it is for a person, and its kind. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** The request was understood and refused by a rule: a taken name, a bad token, a wrong current password. */
export class RequestRefusedError extends DomainError {
  override readonly name = 'RequestRefusedError';
}

/** Input that breaks a rule of its own shape, with the place of each problem (FastAPI's 422 list). */
export class InvalidInputError extends DomainError {
  override readonly name = 'InvalidInputError';
  constructor(readonly issues: ValidationIssue[]) {
    super(issues);
  }
}

/** The caller is not (or no longer) who a credential says. */
export class NotAuthenticatedError extends DomainError {
  override readonly name: string = 'NotAuthenticatedError';
  constructor(detail: unknown = 'Not Authorized') {
    super(detail);
  }
}

/**
 * The password was right and the account has a second factor: no token yet. `mfaToken` names this half-finished
 * log-in for POST /api/auth/mfa; it is no credential anywhere else.
 */
export class SecondFactorRequiredError extends NotAuthenticatedError {
  override readonly name = 'SecondFactorRequiredError';
  constructor(readonly mfaToken: string) {
    super('LOGIN_MFA_REQUIRED');
  }
}

/** The caller is known and may not do this. */
export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError';
  constructor(detail: unknown = 'Forbidden') {
    super(detail);
  }
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
  constructor(detail: unknown = 'Not Found') {
    super(detail);
  }
}

/** The change collides with the state of another record (an email another account holds). */
export class ConflictError extends DomainError {
  override readonly name = 'ConflictError';
}

/** Too many attempts; the caller may try again after the given seconds. */
export class ThrottledError extends DomainError {
  override readonly name = 'ThrottledError';
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, detail: unknown = 'Too Many Requests') {
    super(detail);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/** Something the request needs is not available right now (overloaded or down); the caller may retry. */
export class ServiceUnavailableError extends DomainError {
  override readonly name = 'ServiceUnavailableError';
  constructor(
    detail: unknown,
    readonly retryAfterSeconds = 5,
  ) {
    super(detail);
  }
}

export function invalidInput(issues: ValidationIssue[]): InvalidInputError {
  return new InvalidInputError(issues);
}
