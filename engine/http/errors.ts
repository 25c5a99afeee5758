import type { FieldError } from '../validation/messages.js';

/** An error with its HTTP status, a stable code and Chinese text meant for the person. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 428 | 429 | 500 | 503,
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

export const invalid = (details: FieldError[], message = '提交的数据有误') =>
  new HttpError(422, 'invalid', `${message}：${details.map((d) => d.message).join('；')}`, details);
export const notFound = (what = '记录') => new HttpError(404, 'not_found', `${what}不存在或无权访问`);
export const forbidden = (message = '无权执行此操作') => new HttpError(403, 'forbidden', message);
export const conflict = (message: string, details: FieldError[] = [], extra: Record<string, unknown> = {}) =>
  new HttpError(409, 'conflict', message, details, extra);
export const badRequest = (message: string, details: FieldError[] = []) => new HttpError(400, 'bad_request', message, details);
