import type { FieldError } from './validation/messages.js';

/**
 * What went wrong, in the core's words. The core (records, workflow, grants, directory, codes …)
 * throws these; only engine/http/ turns a kind into an HTTP status (its errors module).
 */
export type DomainErrorKind =
  | 'invalid' // the input breaks a rule: field errors say which (422)
  | 'bad_request' // the request itself is malformed (400)
  | 'unauthenticated' // nobody is logged in (401)
  | 'forbidden' // the user may not do this (403)
  | 'not_found' // absent or outside the user's reach: the two are never told apart (404)
  | 'conflict' // stale version, duplicate key, state that no longer allows it (409)
  | 'unsupported' // the body's media type or encoding (415)
  | 'too_many' // throttled (429)
  | 'too_large' // the body is larger than allowed (413)
  | 'precondition' // the request lacks the version it edits (428)
  | 'unavailable' // a dependency cannot serve now (503)
  | 'internal'; // a fault of the server or its config, not of the request (500)

/** An error with a stable code and Chinese text meant for the person. */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, details: this.details, ...this.extra } };
  }
}

export const domainInvalid = (details: FieldError[], message = '提交的数据有误') =>
  new DomainError('invalid', 'invalid', `${message}：${details.map((d) => d.message).join('；')}`, details);
export const domainNotFound = (what = '记录') => new DomainError('not_found', 'not_found', `${what}不存在或无权访问`);
export const domainForbidden = (message = '无权执行此操作') => new DomainError('forbidden', 'forbidden', message);
export const domainConflict = (message: string, details: FieldError[] = [], extra: Record<string, unknown> = {}) =>
  new DomainError('conflict', 'conflict', message, details, extra);
export const domainBadRequest = (message: string, details: FieldError[] = []) => new DomainError('bad_request', 'bad_request', message, details);
