/**
 * Parsing a config file's JSON with a message a config admin can act on: the line and column of
 * the first mistake and what is wrong there, in Chinese — not V8's character offset.
 */

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/**
 * Offset of the first syntax error of `text` (a small JSON scanner; V8 does not always say where).
 * Returns -1 when the text is valid JSON.
 */
export function syntaxErrorOffset(text: string): number {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const fail = (): never => { throw i; };
  const literal = (word: string) => { if (text.startsWith(word, i)) i += word.length; else fail(); };
  const string = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') { if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail(); i += 4; } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws(); string(); ws();
        if (text[i] !== ':') fail();
        i++; value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        fail();
      }
    }
    if (ch === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        fail();
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value(); ws();
    return i < text.length ? i : -1;
  } catch (at) {
    return at as number;
  }
}

/** What is wrong at the error, in Chinese, from what V8 said and the character found there. */
function reason(v8: string, text: string, at: number): string {
  if (at >= text.length) return '文件意外结束（缺少 } 、] 或引号？）';
  const found = JSON.stringify(text[at]);
  if (/double-quoted property name|property name or '}'/.test(v8)) return `此处应为用双引号括起的属性名，却是 ${found}（多了一个逗号？）`;
  if (/after property value|after array element/.test(v8)) return `此处应为逗号或右括号，却是 ${found}（少了一个逗号？）`;
  if (/':' after property name/.test(v8)) return `属性名后应为冒号，却是 ${found}`;
  if (/control character|Unterminated string/.test(v8)) return '字符串中有换行或控制字符（引号没有闭合？）';
  if (/Bad escaped|escape/i.test(v8)) return '字符串中有无效的转义（\\ 后的字符）';
  return `此处不应出现 ${found}`;
}

/**
 * The parsed JSON of config file `file`, or a problem "file: 第L行第C列: JSON 语法错误：…"
 * pushed onto `problems` (once: what follows from the file being unreadable is not reported).
 */
export function parseConfigJson<T>(text: string, file: string, problems: string[]): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    const found = syntaxErrorOffset(text);
    const at = found < 0 ? Number(/position (\d+)/.exec((err as Error).message)?.[1] ?? text.length) : found;
    const { line, column } = lineColumn(text, at);
    problems.push(`${file}: 第${line}行第${column}列: JSON 语法错误：${reason((err as Error).message, text, at)}`);
    return undefined;
  }
}
