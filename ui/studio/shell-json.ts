/** A JSON text checked as it is typed: the value, or the syntax error at its line and column. */
export type JsonCheck = { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number };

/** Line and column (1-based) of a character offset in a text. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/**
 * Where JSON.parse stopped: browsers say "… at position N" (Chromium also "(line L column C)");
 * when a message names no place, an unexpected end is the end of the text.
 */
export function checkJson(text: string): JsonCheck {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const msg = (e as Error).message;
    const lc = /line (\d+) column (\d+)/.exec(msg);
    const pos = /position (\d+)/.exec(msg);
    const at = lc ? { line: Number(lc[1]), column: Number(lc[2]) } : lineColumn(text, pos ? Number(pos[1]) : text.trimEnd().length);
    const what = /Unexpected end|unexpected end/.test(msg) ? '内容不完整（缺少括号或引号）'
      : /Expected property name|Unexpected token.*\}|trailing comma/i.test(msg) ? '此处应为属性名（多余的逗号？）'
      : /Expected ',' or/.test(msg) ? '此处缺少逗号或括号'
      : '此处不符合 JSON 语法';
    return { ok: false, message: `JSON 语法错误：第 ${at.line} 行第 ${at.column} 列，${what}`, ...at };
  }
}
