/**
 * What kind of refusal an error is. Transports map kinds to their own codes in one place (the
 * api's problem-details filter maps them to HTTP statuses); use cases never speak HTTP.
 */
export type ErrorKind =
  /** The input is malformed or fails validation (400). */
  | 'invalid'
  /** No or bad credentials (401). */
  | 'unauthenticated'
  /** Role or unit scope does not allow it (403). */
  | 'forbidden'
  /** The resource does not exist, or may not be seen (404). */
  | 'not_found'
  /** It collides with what exists (409). */
  | 'conflict'
  /** The client's If-Match version is not the current one (412). */
  | 'precondition_failed'
  /** A domain rule refuses it (422). */
  | 'rule';

export interface FieldProblem {
  /** Dotted path into the input, e.g. `caseLeader.personId`; empty for the whole body. */
  field: string;
  message: string;
}

/**
 * A refusal with a stable machine code (e.g. `TASK_NOT_OPEN`, `EXTENSION_AFTER_DEADLINE`) that
 * clients can act on, and a message a person can read.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }
}
