import { domainBadRequest } from './errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const gb18030 = new TextDecoder('gb18030', { fatal: true });

/**
 * Strict UTF-8 (a leading BOM dropped); null when the bytes are not UTF-8. A lenient decoder
 * turns bad bytes into U+FFFD without a word, so a mangled name would be stored as if typed.
 */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The text of an uploaded CSV: UTF-8 (with or without BOM), else GB18030 as Excel writes CSV on
 * Chinese Windows. A file declaring UTF-8 by its BOM must be UTF-8; bytes that are neither are
 * refused (400) instead of being replaced.
 */
export function decodeUploadedText(bytes: Uint8Array): string {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = decodeUtf8(bytes);
  if (text !== null) return text;
  if (bom) throw domainBadRequest('文件以 UTF-8 标记开头，但含有无效的 UTF-8 字节，请重新保存为 UTF-8 编码');
  try {
    return gb18030.decode(bytes);
  } catch {
    throw domainBadRequest('文件的文字编码无法识别（应为 UTF-8 或 GB18030），请重新保存后上传');
  }
}
