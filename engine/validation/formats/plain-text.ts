/**
 * Characters no text field holds unless its schema says `"x-allowControlChars": true`: C0 and C1
 * controls (NUL, ESC …, DEL) and the bidi embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069), which make a name display as something other than what is stored
 * (U+202E shows the rest of a name reversed) and break printed sheets and spreadsheets. Tab and line breaks are
 * allowed in multi-line fields (`"x-widget": "textarea"`) only.
 */
const IN_LINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const IN_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** The first character a text field may not hold, or null. `lines`: a multi-line field. */
export function forbiddenChar(text: string, lines: boolean): string | null {
  return (lines ? IN_LINES : IN_LINE).exec(text)?.[0] ?? null;
}

/** Whether the text holds such a character (the check the compiled schema calls). */
export const hasForbiddenChar = (text: string, lines: boolean) => forbiddenChar(text, lines) !== null;

/** "U+202E" for a message: the character itself would be invisible or turn the message around. */
export const codePointName = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
