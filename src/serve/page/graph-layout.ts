import type { GNode, PlanGraph } from './graph-build.js';

const NODE_W = 200;
export const NODE_H = 42;
const SMALL_H = 26;
const SMALL_W = 120;
const GAP_X = 28;
const GAP_Y = 34;
const MARGIN = 16;
const SWEEPS = 4;

export interface Placed {
  node: GNode;
  layer: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Layout {
  placed: Placed[];
  width: number;
  height: number;
}

/** Start, end, fork and join are small pills; steps, fan-outs, branches and returns full boxes. */
function nodeHeight(n: GNode): number {
  return n.shape === 'terminal' || n.shape === 'fork' || n.shape === 'join' ? SMALL_H : NODE_H;
}

/**
 * A layered (Sugiyama-style, simplified) top-down layout: layer = longest flow path from the start
 * (flow edges only go to later nodes, so one pass in node order), order within a layer by a few
 * barycenter sweeps against the layer above (fewer crossings), then each layer centred. Pure; the
 * cost is O(sweeps × edges + nodes log nodes), fine for the outline's 2,000-node cap.
 */
export function layoutGraph(g: PlanGraph): Layout {
  const layer = new Array<number>(g.nodes.length).fill(0);
  const preds: number[][] = g.nodes.map(() => []);
  for (const e of g.edges) {
    if (e.kind !== 'flow' || e.to <= e.from) continue;
    preds[e.to]!.push(e.from);
  }
  for (const n of g.nodes)
    for (const p of preds[n.key]!) layer[n.key] = Math.max(layer[n.key]!, layer[p]! + 1);
  const layers: number[][] = [];
  for (const n of g.nodes) (layers[layer[n.key]!] ??= []).push(n.key);
  const pos = new Array<number>(g.nodes.length).fill(0);
  const index = (row: number[]): void => row.forEach((k, i) => (pos[k] = i));
  layers.forEach(index);
  for (let s = 0; s < SWEEPS; s++)
    for (const row of layers.slice(1)) {
      const bary = (k: number): number => {
        const p = preds[k]!;
        return p.length ? p.reduce((sum, q) => sum + pos[q]!, 0) / p.length : pos[k]!;
      };
      const weights = new Map(row.map((k) => [k, bary(k)]));
      row.sort((a, b) => weights.get(a)! - weights.get(b)! || a - b);
      index(row);
    }
  const widest = Math.max(1, ...layers.map((r) => r.length));
  const width = widest * NODE_W + (widest - 1) * GAP_X + 2 * MARGIN;
  const placed: Placed[] = [];
  layers.forEach((row, li) => {
    const rowWidth = row.length * NODE_W + (row.length - 1) * GAP_X;
    const left = (width - rowWidth) / 2;
    const top = MARGIN + li * (NODE_H + GAP_Y);
    row.forEach((k, i) => {
      const node = g.nodes[k]!;
      const h = nodeHeight(node);
      const w = h === NODE_H ? NODE_W : SMALL_W;
      const x = left + i * (NODE_W + GAP_X) + (NODE_W - w) / 2;
      placed.push({ node, layer: li, x, y: top + (NODE_H - h) / 2, w, h });
    });
  });
  placed.sort((a, b) => a.node.key - b.node.key);
  return { placed, width, height: 2 * MARGIN + layers.length * NODE_H + (layers.length - 1) * GAP_Y };
}
