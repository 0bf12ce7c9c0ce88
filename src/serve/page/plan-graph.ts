import type { PlanOutline, StepView } from '../api-types.js';
import { buildGraph, type GEdge } from './graph-build.js';
import { layoutGraph, NODE_H, type Placed } from './graph-layout.js';
import { h } from './dom.js';
import type { NodeState } from './graph-state.js';

const SVG = 'http://www.w3.org/2000/svg';
const TITLE_CHARS = 26;
const SUB_CHARS = 28;

/** The drawn plan: built and laid out once; `update` recolours it in place as rows arrive. */
export interface PlanGraphView {
  el: HTMLElement;
  update(steps: readonly StepView[]): void;
}

export function planGraph(
  outline: PlanOutline,
  stateOf: (steps: readonly StepView[]) => Map<string, NodeState>,
): PlanGraphView {
  const graph = buildGraph(outline);
  const layout = layoutGraph(graph);
  const byKey = new Map(layout.placed.map((p) => [p.node.key, p]));
  const root = svg('svg', {
    class: 'plan-graph',
    width: String(layout.width),
    height: String(layout.height),
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    role: 'img',
    'aria-label': `plan of ${outline.name}`,
  });
  root.append(defs());
  for (const e of graph.edges) {
    const from = byKey.get(e.from);
    const to = byKey.get(e.to);
    if (from && to) root.append(edge(e, from, to));
  }
  const drawn = layout.placed.map((p) => ({ p, ...box(p) }));
  for (const d of drawn) root.append(d.link);
  const el = h('div', { class: 'plan-wrap', id: 'plan' });
  el.append(root);
  return {
    el,
    update(steps) {
      const states = stateOf(steps);
      for (const d of drawn) {
        const step = d.p.node.step;
        const st = step === null ? undefined : states.get(step);
        const status = st?.status ?? (step === null ? 'none' : 'pending');
        d.group.setAttribute('class', `node shape-${d.p.node.shape} st-${status}`);
        d.group.dataset.status = status;
        if (d.p.h >= NODE_H) d.sub.textContent = cut(st?.sub ?? d.p.node.sub, SUB_CHARS);
        if (st?.tip) d.tip.textContent = [st.tip, d.p.node.badge, d.p.node.sub].filter(Boolean).join('\n');
        if (st?.href) d.link.setAttribute('href', st.href);
        else d.link.removeAttribute('href');
      }
    },
  };
}

function box(p: Placed): { link: SVGElement; group: SVGGElement; sub: SVGTextElement; tip: SVGTitleElement } {
  const n = p.node;
  const group = svg('g', { class: `node shape-${n.shape} st-pending` });
  if (n.step !== null) group.dataset.step = n.step;
  group.append(shape(p));
  const cx = p.x + p.w / 2;
  const small = p.h < NODE_H;
  const title = svg('text', {
    x: String(cx),
    y: String(small ? p.y + p.h / 2 + 4 : p.y + 17),
    class: 'title',
  });
  title.textContent = cut(n.title, TITLE_CHARS);
  const sub = svg('text', { x: String(cx), y: String(p.y + 32), class: 'sub' });
  sub.textContent = small ? '' : cut(n.sub, SUB_CHARS);
  const tip = svg('title', {});
  tip.textContent = [n.title, n.badge, n.sub].filter(Boolean).join('\n');
  group.append(tip, title, sub);
  if (n.badge) {
    // Above the box's top edge, right-aligned: how the step repeats (hosts, retries, loop).
    const badge = svg('text', { x: String(p.x + p.w - 4), y: String(p.y - 3), class: 'badge-text' });
    badge.textContent = n.badge;
    group.append(badge);
  }
  const link = svg('a', {});
  link.append(group);
  return { link, group, sub, tip };
}

function shape(p: Placed): SVGElement {
  const { x, y, w, h: ht } = p;
  if (p.node.shape === 'decision') {
    const points = [
      [x + 14, y],
      [x + w - 14, y],
      [x + w, y + ht / 2],
      [x + w - 14, y + ht],
      [x + 14, y + ht],
      [x, y + ht / 2],
    ];
    return svg('polygon', { points: points.map((q) => q.join(',')).join(' ') });
  }
  const round = p.node.shape === 'step' || p.node.shape === 'fanout' ? 6 : ht / 2;
  return svg('rect', { x: String(x), y: String(y), width: String(w), height: String(ht), rx: String(round) });
}

function edge(e: GEdge, from: Placed, to: Placed): SVGElement {
  const g = svg('g', { class: `edge ${e.kind}` });
  let d: string;
  let mx: number;
  let my: number;
  if (e.kind === 'jump') {
    // Jumps run down the right side, so they do not hide the flow between the boxes.
    const [sx, sy, tx, ty] = [from.x + from.w, from.y + from.h / 2, to.x + to.w, to.y + to.h / 2];
    const bulge = Math.max(sx, tx) + 40 + Math.min(60, Math.abs(ty - sy) / 8);
    d = `M${sx},${sy} C${bulge},${sy} ${bulge},${ty} ${tx + 6},${ty}`;
    [mx, my] = [bulge - 10, (sy + ty) / 2];
  } else {
    const [sx, sy, tx, ty] = [from.x + from.w / 2, from.y + from.h, to.x + to.w / 2, to.y];
    const bend = Math.max(20, (ty - sy) / 2);
    d = `M${sx},${sy} C${sx},${sy + bend} ${tx},${ty - bend} ${tx},${ty - 2}`;
    [mx, my] = [(sx + tx) / 2, (sy + ty) / 2];
  }
  g.append(svg('path', { d, 'marker-end': 'url(#arrow)' }));
  if (e.label) {
    const t = svg('text', { x: String(mx + 4), y: String(my), class: 'edge-label' });
    t.textContent = e.label;
    g.append(t);
  }
  return g;
}

function defs(): SVGElement {
  const marker = svg('marker', {
    id: 'arrow',
    viewBox: '0 0 8 8',
    refX: '7',
    refY: '4',
    markerWidth: '7',
    markerHeight: '7',
    orient: 'auto-start-reverse',
  });
  marker.append(svg('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrow' }));
  const d = svg('defs', {});
  d.append(marker);
  return d;
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string>,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
