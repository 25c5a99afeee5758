import { html, svg, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import dagre from '@dagrejs/dagre';
import { LightElement, emit } from '../components/light-element.js';
import { eventTitle, isInternal, stateTitle, transitions, type MachineDoc } from './workflow-model.js';

/** What is selected in the diagram: a state, or one event of a state. */
export type Selection = { kind: 'state'; state: string } | { kind: 'event'; state: string; event: string } | null;

interface Box { name: string; x: number; y: number; w: number; h: number }
interface Arrow { from: string; event: string; points: { x: number; y: number }[]; label: { x: number; y: number; text: string }; internal: boolean }

const NODE_W = 150;
const NODE_H = 54;
/** A label's width in the diagram's font: CJK characters are square, others about half. */
const textWidth = (s: string) => [...s].reduce((n, ch) => n + (/[\u2e80-\uffff]/.test(ch) ? 13 : 7), 0) + 12;

/** Lays the machine out with dagre: states top to bottom, events as labelled edges. */
function layout(m: MachineDoc): { boxes: Box[]; arrows: Arrow[]; width: number; height: number } {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 50, ranksep: 70, edgesep: 20, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const s of Object.keys(m.states)) g.setNode(s, { width: NODE_W, height: NODE_H });
  const ts = transitions(m).filter((t) => m.states[t.target]);
  for (const t of ts) g.setEdge(t.from, t.target, { width: textWidth(eventTitle(m, t.event)), height: 18, labelpos: 'c' }, `${t.from}:${t.event}`);
  dagre.layout(g);
  const boxes = Object.keys(m.states).map((name) => {
    const n = g.node(name);
    return { name, x: n.x - NODE_W / 2, y: n.y - NODE_H / 2, w: NODE_W, h: NODE_H };
  });
  const arrows = ts.map((t) => {
    const e = g.edge({ v: t.from, w: t.target, name: `${t.from}:${t.event}` }) as { points: { x: number; y: number }[]; x: number; y: number };
    return { from: t.from, event: t.event, points: e.points, label: { x: e.x, y: e.y, text: eventTitle(m, t.event) }, internal: isInternal(m, t.event) };
  });
  const graph = g.graph();
  return { boxes, arrows, width: graph.width ?? 300, height: graph.height ?? 200 };
}

/** A self-loop (an event that stays in its state) as a small arc on the box's right side. */
const path = (pts: { x: number; y: number }[]) => pts.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');

/**
 * The machine drawn as SVG: states as boxes (title, name, records in that state when known),
 * events as labelled arrows, internal events dashed, the initial state marked. A state or an
 * event is selected by click or by keyboard (Tab to it, Enter or Space): `select` (detail: the
 * Selection). Warned states are outlined.
 */
@customElement('caiji-studio-workflow-diagram')
export class StudioWorkflowDiagram extends LightElement {
  @property({ attribute: false }) machine?: MachineDoc;
  @property({ attribute: false }) selected: Selection = null;
  /** Records per state (the published figures), when known. */
  @property({ attribute: false }) counts?: Record<string, number>;
  @property({ attribute: false }) warned = new Set<string>();

  private pick(sel: Selection) {
    emit(this, 'wf-select', sel);
  }

  private keys(sel: Selection) {
    return (e: KeyboardEvent) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.pick(sel); } };
  }

  override render() {
    const m = this.machine;
    if (!m) return nothing;
    const { boxes, arrows, width, height } = layout(m);
    const sel = this.selected;
    return html`<div class="wf-diagram-wrap"><svg class="wf-diagram" role="group" aria-label="流程图" viewBox="0 0 ${width} ${height}" width=${width} height=${height}>
      <defs><marker id="wf-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="wf-arrowhead"></path></marker></defs>
      ${arrows.map((a) => {
        const on = sel?.kind === 'event' && sel.state === a.from && sel.event === a.event;
        const s: Selection = { kind: 'event', state: a.from, event: a.event };
        return svg`<g class="wf-edge ${a.internal ? 'internal' : ''} ${on ? 'selected' : ''}" data-from=${a.from} data-event=${a.event} tabindex="0" role="button"
            aria-label=${`事件「${a.label.text}」：${stateTitle(m, a.from)} → ${stateTitle(m, m.states[a.from].on![a.event].target ?? a.from)}`}
            @click=${() => this.pick(s)} @keydown=${this.keys(s)}>
          <path d=${path(a.points)} marker-end="url(#wf-arrow)"></path>
          <rect class="wf-edge-label-bg" x=${a.label.x - textWidth(a.label.text) / 2} y=${a.label.y - 10} width=${textWidth(a.label.text)} height="20" rx="4"></rect>
          <text x=${a.label.x} y=${a.label.y + 4} text-anchor="middle">${a.label.text}</text></g>`;
      })}
      ${boxes.map((b) => {
        const on = sel?.kind === 'state' && sel.state === b.name;
        const s: Selection = { kind: 'state', state: b.name };
        const n = this.counts?.[b.name];
        return svg`<g class="wf-state ${on ? 'selected' : ''} ${this.warned.has(b.name) ? 'warned' : ''} ${m.initial === b.name ? 'initial' : ''}" data-state=${b.name}
            tabindex="0" role="button" aria-label=${`状态「${stateTitle(m, b.name)}」${n !== undefined ? `，${n} 条记录` : ''}`}
            @click=${() => this.pick(s)} @keydown=${this.keys(s)}>
          <rect x=${b.x} y=${b.y} width=${b.w} height=${b.h} rx="8"></rect>
          <text class="wf-state-title" x=${b.x + b.w / 2} y=${b.y + 22} text-anchor="middle">${stateTitle(m, b.name)}</text>
          <text class="wf-state-sub" x=${b.x + b.w / 2} y=${b.y + 42} text-anchor="middle">${m.initial === b.name ? '初始 · ' : ''}${n !== undefined ? `${n} 条记录` : b.name}</text></g>`;
      })}
    </svg></div>`;
  }
}
