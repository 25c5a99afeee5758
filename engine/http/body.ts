import type { Context } from 'hono';
import { HttpError, badRequest } from './errors.js';
import { decodeUtf8 } from '../text-encoding.js';

/**
 * The request's JSON body; 415 unless it is declared JSON in UTF-8 (JSON has no other encoding,
 * RFC 8259 §8.1: a body declared `charset=gbk` would otherwise be read as UTF-8 and stored
 * garbled), 400 when its bytes are not UTF-8 (never silently replaced) or it does not parse.
 */
export async function jsonBody<T = unknown>(c: Context): Promise<T> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, 'unsupported_media_type', '请求体应为 JSON（Content-Type: application/json）');
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1]?.slice(0, 40);
  if (charset && !/^utf-?8$/i.test(charset)) {
    throw new HttpError(415, 'unsupported_media_type', `请求体的字符编码应为 UTF-8，不支持“${charset}”`);
  }
  const text = decodeUtf8(new Uint8Array(await c.req.arrayBuffer()));
  if (text === null) throw badRequest('请求体含有无效的 UTF-8 字节');
  try {
    return JSON.parse(text) as T;
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
