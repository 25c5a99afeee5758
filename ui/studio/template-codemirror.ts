/**
 * The code editor of the studio's template section: CodeMirror 6 with HTML highlighting, the
 * template's {{…}} expressions marked (block tags apart), line numbers, search, undo, and the
 * draft's check problems as lint markers. Bundled on its own (/code-editor.js, see
 * engine/http/routes/ui.ts) and loaded only when a template is opened.
 *
 * Handlebars: the maintained CodeMirror packages have no Handlebars mode (the one on npm is a
 * one-person grammar); HTML highlighting with the expressions marked by a decoration is all the
 * editor needs and keeps to @codemirror's own packages.
 */
import { EditorView, basicSetup } from 'codemirror';
import { html } from '@codemirror/lang-html';
import { EditorSelection, EditorState, Prec } from '@codemirror/state';
import { Decoration, MatchDecorator, ViewPlugin, keymap, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';

/** A problem placed at a line (1-based) and, when known, a column (1-based). */
export interface PlacedProblem { line: number; col?: number; message: string }

export interface TemplateCodeEditor {
  readonly text: string;
  setText(text: string): void;
  setProblems(problems: PlacedProblem[]): void;
  /** Moves the cursor to a line and column (1-based) and scrolls it into view. */
  focusAt(line: number, col?: number): void;
  destroy(): void;
}

export interface EditorOptions {
  onChange(text: string): void;
  onSave(): void;
}

const expression = Decoration.mark({ class: 'cm-hbs' });
const block = Decoration.mark({ class: 'cm-hbs cm-hbs-block' });
const expressions = new MatchDecorator({
  regexp: /\{\{\{?[^{}]*\}?\}\}/g,
  decoration: (m) => (/^\{\{\s*[#/^]|^\{\{\s*else\b/.test(m[0]) ? block : expression),
});
const handlebarsMarks = ViewPlugin.fromClass(class {
  decorations: DecorationSet;
  constructor(view: EditorView) { this.decorations = expressions.createDeco(view); }
  update(u: ViewUpdate) { this.decorations = expressions.updateDeco(u, this.decorations); }
}, { decorations: (v) => v.decorations });

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px', backgroundColor: '#fff' },
  '.cm-scroller': { fontFamily: 'ui-monospace, "Noto Sans Mono CJK SC", monospace' },
  '.cm-hbs': { color: '#8a4b00', backgroundColor: '#fff3dc', borderRadius: '2px' },
  '.cm-hbs-block': { color: '#6a1b9a', fontWeight: 'bold', backgroundColor: '#f4e8fb' },
});

/** CodeMirror's own words in Chinese (search panel, lint panel, folding). */
const phrases = EditorState.phrases.of({
  Find: '查找', Replace: '替换', next: '下一个', previous: '上一个', all: '全部', 'match case': '区分大小写',
  regexp: '正则表达式', 'by word': '整词', replace: '替换', 'replace all': '全部替换', close: '关闭',
  'current match': '当前匹配', 'on line': '位于第', 'Go to line': '跳到行', go: '跳转',
  Diagnostics: '检查结果', 'No diagnostics': '没有问题', 'Folded lines': '已折叠的行', 'Unfolded lines': '已展开的行',
  'Fold line': '折叠', 'Unfold line': '展开', 'Control character': '控制字符',
});

export function createTemplateEditor(parent: HTMLElement, text: string, options: EditorOptions): TemplateCodeEditor {
  let silent = false;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        basicSetup, html(), handlebarsMarks, lintGutter(), theme, phrases, EditorView.lineWrapping,
        Prec.highest(keymap.of([{ key: 'Mod-s', preventDefault: true, run: () => { options.onSave(); return true; } }])),
        EditorView.updateListener.of((u) => { if (u.docChanged && !silent) options.onChange(u.state.doc.toString()); }),
        EditorView.contentAttributes.of({ 'aria-label': '模板源代码' }),
      ],
    }),
  });

  const position = (line: number, col = 1) => {
    const l = view.state.doc.line(Math.min(Math.max(1, line), view.state.doc.lines));
    return { line: l, at: Math.min(l.from + Math.max(0, col - 1), l.to) };
  };

  return {
    get text() { return view.state.doc.toString(); },
    setText(next: string) {
      if (next === view.state.doc.toString()) return;
      silent = true;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } });
      silent = false;
    },
    setProblems(problems: PlacedProblem[]) {
      const diagnostics: Diagnostic[] = problems.map((p) => {
        const { line, at } = position(p.line, p.col);
        // A column names one place: mark from it to the line's end (at least one character).
        return { from: p.col ? at : line.from, to: Math.max(line.to, at + (at < view.state.doc.length ? 1 : 0)), severity: 'error', message: p.message };
      });
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    focusAt(line: number, col?: number) {
      const { at } = position(line, col);
      view.dispatch({ selection: EditorSelection.cursor(at), effects: EditorView.scrollIntoView(at, { y: 'center' }) });
      view.focus();
    },
    destroy() { view.destroy(); },
  };
}
