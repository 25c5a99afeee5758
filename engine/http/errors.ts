import type { FieldError } from '../validation/messages.js';
import { DomainError, domainBadRequest, domainConflict, domainForbidden, domainInvalid, domainNotFound, type DomainErrorKind } from '../errors.js';

type Status = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 428 | 429 | 500 | 503;

/** The HTTP status of each kind of domain error: the one place the core's words become statuses. */
const statuses: Record<DomainErrorKind, Status> = {
  invalid: 422, bad_request: 400, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409,
  too_large: 413, unsupported: 415, precondition: 428, too_many: 429, internal: 500, unavailable: 503,
};
const kinds = new Map(Object.entries(statuses).map(([kind, status]) => [status, kind as DomainErrorKind]));

/**
 * An error with its HTTP status, thrown by the routes. It is a DomainError of the status's kind,
 * so the core catches both alike.
 */
export class HttpError extends DomainError {
  constructor(
    readonly status: Status,
    code: string,
    message: string,
    details: FieldError[] = [],
    extra: Record<string, unknown> = {},
  ) {
    super(kinds.get(status)!, code, message, details, extra);
  }
}

// The routes' shorthands: the core's own errors (one wording), with their statuses.
export const invalid = (details: FieldError[], message?: string) => fromDomain(domainInvalid(details, message));
export const notFound = (what?: string) => fromDomain(domainNotFound(what));
export const forbidden = (message?: string) => fromDomain(domainForbidden(message));
export const conflict = (message: string, details: FieldError[] = [], extra: Record<string, unknown> = {}) => fromDomain(domainConflict(message, details, extra));
export const badRequest = (message: string, details: FieldError[] = []) => fromDomain(domainBadRequest(message, details));

/** A domain error as the HTTP error it answers with. */
export function fromDomain(err: DomainError): HttpError {
  return err instanceof HttpError ? err : new HttpError(statuses[err.kind], err.code, err.message, err.details, err.extra);
}
