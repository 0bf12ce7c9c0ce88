import { paletteRgb, parseAnsi, type Colour, type Segment, type Style } from './ansi.js';
import { h } from './dom.js';

/**
 * Output text as spans: colours as classes (0-15) or CSSOM styles (256 / true colour, which the CSP
 * allows, unlike style attributes); `highlight` (case-insensitive) is wrapped in <mark>.
 */
export function renderAnsi(
  text: string,
  start: Style,
  highlight: string,
): { node: DocumentFragment; end: Style } {
  const { segments, end } = parseAnsi(text, start);
  const frag = document.createDocumentFragment();
  for (const seg of segments) frag.appendChild(segmentNode(seg, highlight));
  return { node: frag, end };
}

function segmentNode(seg: Segment, highlight: string): Node {
  const s = seg.style;
  const plain = !s.fg && !s.bg && !s.bold && !s.dim && !s.italic && !s.underline && !s.inverse;
  const content = marked(seg.text, highlight);
  if (plain && content.length === 1 && typeof content[0] === 'string')
    return document.createTextNode(content[0]);
  const span = h('span', null, content);
  const [fg, bg] = s.inverse ? [s.bg, s.fg] : [s.fg, s.bg];
  paint(span, 'fg', fg);
  paint(span, 'bg', bg);
  if (s.bold) span.classList.add('b');
  if (s.dim) span.classList.add('dim');
  if (s.italic) span.classList.add('i');
  if (s.underline) span.classList.add('u');
  return span;
}

function paint(span: HTMLElement, which: 'fg' | 'bg', c: Colour | undefined): void {
  if (!c) return;
  if (c.kind === 'index' && c.n < 16) span.classList.add(`${which}${c.n}`);
  else {
    const css = c.kind === 'index' ? paletteRgb(c.n) : `rgb(${c.r},${c.g},${c.b})`;
    if (which === 'fg') span.style.color = css;
    else span.style.backgroundColor = css;
  }
}

function marked(text: string, highlight: string): (string | HTMLElement)[] {
  if (!highlight) return [text];
  const out: (string | HTMLElement)[] = [];
  const lower = text.toLowerCase();
  const needle = highlight.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, at)) {
    if (i > at) out.push(text.slice(at, i));
    out.push(h('mark', null, text.slice(i, i + needle.length)));
    at = i + needle.length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}
