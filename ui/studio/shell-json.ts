/** A JSON text checked as it is typed: the value, or the syntax error at its line and column. */
export type JsonCheck = { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number };

const NUMBER_OR_WORD = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/**
 * The offset where a JSON text stops being JSON (-1 when it is JSON). Browsers word JSON.parse's
 * errors differently and some name no place, so the text is walked here once it failed.
 */
function errorOffset(t: string): number {
  let i = 0;
  const ws = () => { while (i < t.length && ' \t\n\r'.includes(t[i])) i++; };
  const fail = (): never => { throw i; };
  const str = () => {
    i++;
    while (i < t.length && t[i] !== '"') {
      if (t[i] < ' ') fail();
      i += t[i] === '\\' ? 2 : 1;
    }
    if (i >= t.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    if (t[i] === '{' || t[i] === '[') {
      const close = t[i] === '{' ? '}' : ']';
      i++;
      ws();
      if (t[i] === close) { i++; return; }
      for (;;) {
        if (close === '}') {
          ws();
          if (t[i] !== '"') fail();
          str();
          ws();
          if (t[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (t[i] === ',') { i++; continue; }
        if (t[i] === close) { i++; return; }
        fail();
      }
    }
    if (t[i] === '"') return str();
    NUMBER_OR_WORD.lastIndex = i;
    const m = NUMBER_OR_WORD.exec(t);
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
    if (i < t.length) fail();
    return -1;
  } catch (e) {
    if (typeof e === 'number') return e;
    throw e;
  }
}

/** Line and column (1-based) of a character offset in a text. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

export function checkJson(text: string): JsonCheck {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const offset = Math.max(0, errorOffset(text));
    const at = lineColumn(text, offset);
    const what = offset >= text.length ? '内容不完整（缺少括号或引号？）' : `此处的「${text[offset] === '\n' ? '换行' : text[offset]}」不符合 JSON 语法`;
    return { ok: false, message: `JSON 语法错误：第 ${at.line} 行第 ${at.column} 列，${what}`, ...at };
  }
}
