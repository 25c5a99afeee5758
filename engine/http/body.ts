import type { Context } from 'hono';
import { HttpError, badRequest } from './errors.js';

/** The request's JSON body; 415 unless it is declared JSON, 400 when it does not parse. */
export async function jsonBody<T = unknown>(c: Context): Promise<T> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, 'unsupported_media_type', '请求体应为 JSON（Content-Type: application/json）');
  try {
    return (await c.req.json()) as T;
  } catch {
    throw badRequest('请求体不是有效的 JSON');
  }
}

/** The version a client says it edited (If-Match: "3" or 3). */
export function ifMatch(c: Context, required: boolean): number | undefined {
  const raw = c.req.header('if-match');
  if (!raw) {
    if (required) throw new HttpError(428, 'precondition_required', '保存时须带上所编辑记录的版本号（If-Match 请求头）');
    return undefined;
  }
  const v = Number(raw.replace(/^W\//, '').replace(/"/g, ''));
  if (!Number.isInteger(v) || v < 1) throw badRequest('If-Match 请求头应为记录的版本号');
  return v;
}
