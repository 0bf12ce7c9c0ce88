/** Terminal output to styled text segments. Pure: the page turns segments into text nodes. */
export type Colour = { kind: 'index'; n: number } | { kind: 'rgb'; r: number; g: number; b: number };

export interface Style {
  fg?: Colour;
  bg?: Colour;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

export interface Segment {
  text: string;
  style: Style;
}

// CSI sequences (SGR and cursor moves), OSC (titles, hyperlinks: ended by BEL or ST), other escapes.
// eslint-disable-next-line no-control-regex
const ESCAPE = /\x1b\[([0-?]*)([ -/]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?/g;
// Control characters other than tab and newline are dropped, as a terminal would not print them.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** Splits `text` at escape sequences; `start` carries the style from a previous page. */
export function parseAnsi(text: string, start: Style = {}): { segments: Segment[]; end: Style } {
  const segments: Segment[] = [];
  let style: Style = { ...start };
  let last = 0;
  const push = (s: string): void => {
    const clean = s.replace(CONTROLS, '');
    if (clean) segments.push({ text: clean, style });
  };
  for (const m of text.matchAll(ESCAPE)) {
    push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[3] === 'm' && m[2] === '') style = applySgr(style, m[1] ?? '');
  }
  push(text.slice(last));
  return { segments, end: style };
}

/** What a person reads: the text without escapes and control characters (what search matches). */
export function plainText(text: string): string {
  return parseAnsi(text)
    .segments.map((s) => s.text)
    .join('');
}

function applySgr(prev: Style, params: string): Style {
  const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
  let s: Style = { ...prev };
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c === 0) s = {};
    else if (c === 1) s.bold = true;
    else if (c === 2) s.dim = true;
    else if (c === 3) s.italic = true;
    else if (c === 4) s.underline = true;
    else if (c === 7) s.inverse = true;
    else if (c === 22) s.bold = s.dim = false;
    else if (c === 23) s.italic = false;
    else if (c === 24) s.underline = false;
    else if (c === 27) s.inverse = false;
    else if (c >= 30 && c <= 37) s.fg = { kind: 'index', n: c - 30 };
    else if (c >= 90 && c <= 97) s.fg = { kind: 'index', n: c - 90 + 8 };
    else if (c >= 40 && c <= 47) s.bg = { kind: 'index', n: c - 40 };
    else if (c >= 100 && c <= 107) s.bg = { kind: 'index', n: c - 100 + 8 };
    else if (c === 39) delete s.fg;
    else if (c === 49) delete s.bg;
    else if (c === 38 || c === 48) {
      const { colour, used } = extended(codes, i + 1);
      i += used;
      if (colour) s[c === 38 ? 'fg' : 'bg'] = colour;
    }
  }
  return s;
}

/** `5;N` (256 colours) or `2;R;G;B` (true colour) after 38/48; how many codes it took. */
function extended(codes: readonly number[], at: number): { colour?: Colour; used: number } {
  const byte = (n: number | undefined): number => Math.max(0, Math.min(255, n ?? 0));
  if (codes[at] === 5) return { colour: { kind: 'index', n: byte(codes[at + 1]) }, used: 2 };
  if (codes[at] === 2)
    return {
      colour: { kind: 'rgb', r: byte(codes[at + 1]), g: byte(codes[at + 2]), b: byte(codes[at + 3]) },
      used: 4,
    };
  return { used: 0 };
}

/** xterm's 256-colour palette entry as `rgb(...)` for indices 16-255 (0-15 are themed by CSS classes). */
export function paletteRgb(n: number): string {
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const level = (x: number): number => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
}
