import type { RawValue } from './ansible-model.js';

/**
 * Ansible's INI values go through Python's `ast.literal_eval`, falling back to the text as written:
 * `2222   # forwarded` is the number 2222, `'deploy'  # c` is `deploy`, `0x10` is 16, `ops#1` and
 * `ops # x` stay as written. This is that evaluator for the literals Python accepts there; it is
 * fuzzed against Ansible's own `_parse_value` by test/integration/ansible-python.test.ts.
 */
export function iniValue(source: string): RawValue {
  try {
    const p = new LiteralParser(source.replace(/^[ \t]+/, ''));
    const v = p.top();
    p.end();
    return v;
  } catch (error) {
    if (error instanceof NotALiteral) return { kind: 'scalar', text: source, type: 'str' };
    throw error;
  }
}

class NotALiteral extends Error {}

const STRING_START = /^([rRuUbB]|[bB][rR]|[rR][bB])?('''|"""|'|")/;
const DIGITS = String.raw`\d(?:_?\d)*`;
const EXPONENT = String.raw`[eE][+-]?${DIGITS}`;
const FLOAT_BODY = String.raw`(?:(?:${DIGITS})?\.${DIGITS}(?:${EXPONENT})?|${DIGITS}\.(?:${EXPONENT})?|${DIGITS}${EXPONENT})`;
const IMAGINARY = new RegExp(String.raw`^(?:${FLOAT_BODY}|${DIGITS})[jJ]`);
const FLOAT = new RegExp(`^${FLOAT_BODY}`);
const INT = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?\d)*|0(?:_?0)*)/;
const COMPLEX: RawValue = { kind: 'structured', what: 'a complex number' };

/** A number token: real (int/float) or imaginary. */
type Num = { imaginary: true } | { imaginary: false; value: RawValue & { kind: 'scalar' } };

class LiteralParser {
  private i = 0;
  constructor(private readonly s: string) {}

  /** A bare `a, b` at the top is a tuple, as in Python. */
  top(): RawValue {
    const first = this.value();
    this.space();
    if (this.s[this.i] !== ',') return first;
    while (this.s[this.i] === ',') {
      this.i += 1;
      this.space();
      if (this.i >= this.s.length) break;
      this.value();
      this.space();
    }
    return { kind: 'structured', what: 'a tuple' };
  }

  /** Nothing but whitespace and a comment may follow the literal. */
  end(): void {
    this.space();
    if (this.i < this.s.length) throw new NotALiteral();
  }

  private value(): RawValue {
    this.space();
    const c = this.s[this.i];
    if (c === undefined) throw new NotALiteral();
    if (c === '[' || c === '(' || c === '{') return this.container(c);
    if (STRING_START.test(this.s.slice(this.i))) return this.strings();
    const word = /^[A-Za-z_]\w*/.exec(this.s.slice(this.i))?.[0];
    if (word === 'True' || word === 'False') {
      this.i += word.length;
      return { kind: 'scalar', text: word, type: 'bool' };
    }
    if (word === 'None') {
      this.i += word.length;
      return { kind: 'null' };
    }
    return this.arithmetic();
  }

  /** A signed number, or `real ± imaginary` (the only arithmetic literal_eval allows: a complex). */
  private arithmetic(): RawValue {
    const left = this.signed();
    const save = this.i;
    this.space();
    const op = this.s[this.i];
    if ((op !== '+' && op !== '-') || left.imaginary) {
      this.i = save;
      return left.imaginary ? COMPLEX : left.value;
    }
    this.i += 1;
    this.space();
    const right = this.number();
    if (!right.imaginary) throw new NotALiteral();
    return COMPLEX;
  }

  private signed(): Num {
    const c = this.s[this.i];
    if (c !== '-' && c !== '+') return this.number();
    this.i += 1;
    this.space();
    const n = this.number();
    if (n.imaginary || c === '+') return n;
    const v = n.value;
    const text = v.type === 'int' ? (-BigInt(v.text)).toString() : pythonFloat(-fromRepr(v.text));
    return { imaginary: false, value: { ...v, text } };
  }

  private number(): Num {
    const rest = this.s.slice(this.i);
    const imaginary = IMAGINARY.exec(rest)?.[0];
    const t = imaginary ?? FLOAT.exec(rest)?.[0] ?? INT.exec(rest)?.[0];
    if (t === undefined || /^[\w.]/.test(rest.slice(t.length))) throw new NotALiteral();
    this.i += t.length;
    if (imaginary !== undefined) return { imaginary: true };
    const plain = t.replace(/_/g, '');
    if (FLOAT.test(t) && !/^0[xX]/.test(t))
      return { imaginary: false, value: { kind: 'scalar', text: pythonFloat(Number(plain)), type: 'float' } };
    return { imaginary: false, value: { kind: 'scalar', text: BigInt(plain).toString(), type: 'int' } };
  }

  private space(): void {
    for (;;) {
      while (this.i < this.s.length && /[ \t\f]/.test(this.s[this.i]!)) this.i += 1;
      if (this.s[this.i] !== '#') return;
      while (this.i < this.s.length && this.s[this.i] !== '\n') this.i += 1;
    }
  }

  /** Adjacent string literals concatenate, as in Python (`"a" "b"` is `ab`). */
  private strings(): RawValue {
    let out = '';
    let bytes: boolean | undefined;
    for (;;) {
      const m = STRING_START.exec(this.s.slice(this.i));
      if (!m) break;
      const prefix = (m[1] ?? '').toLowerCase();
      const isBytes = prefix.includes('b');
      if (bytes !== undefined && bytes !== isBytes) throw new NotALiteral();
      bytes = isBytes;
      const quote = m[2]!;
      this.i += m[0].length;
      let j = this.i;
      for (; ; j += 1) {
        if (j >= this.s.length) throw new NotALiteral();
        if (this.s.startsWith(quote, j)) break;
        if (this.s[j] === '\\') j += 1;
      }
      const body = this.s.slice(this.i, j);
      this.i = j + quote.length;
      if (quote.length === 1 && body.includes('\n')) throw new NotALiteral();
      if (isBytes && [...body].some((ch) => ch.charCodeAt(0) > 0x7f)) throw new NotALiteral();
      out += prefix.includes('r') ? body : unescape(body, isBytes);
      this.space();
    }
    return { kind: 'scalar', text: out, type: 'str' };
  }

  /** Lists, tuples, sets and dicts of literals: structured values; `(x)` is just x. */
  private container(open: string): RawValue {
    const close = open === '[' ? ']' : open === '(' ? ')' : '}';
    this.i += 1;
    let dict: boolean | undefined;
    let count = 0;
    let trailingComma = false;
    let only: RawValue | undefined;
    for (;;) {
      this.space();
      if (this.s[this.i] === close) break;
      only = this.value();
      this.space();
      if (open === '{') {
        const colon = this.s[this.i] === ':';
        if (dict !== undefined && dict !== colon) throw new NotALiteral();
        dict = colon;
        if (colon) {
          this.i += 1;
          this.value();
          this.space();
        }
      }
      count += 1;
      trailingComma = this.s[this.i] === ',';
      if (trailingComma) this.i += 1;
      else if (this.s[this.i] !== close) throw new NotALiteral();
    }
    this.i += 1;
    if (open === '(' && count === 1 && !trailingComma) return only!;
    const what = open === '[' ? 'a list' : open === '(' ? 'a tuple' : dict === false ? 'a set' : 'a mapping';
    return { kind: 'structured', what };
  }
}

function fromRepr(text: string): number {
  return text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text);
}

/** Python's `repr` of a float: shortest digits, fixed notation for exponents -4..15, else `1e+16`. */
function pythonFloat(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
  const sign = n < 0 || Object.is(n, -0) ? '-' : '';
  const [mantissa = '0', e = '0'] = Math.abs(n).toExponential().split('e');
  const exp = Number(e);
  const digits = mantissa.replace('.', '');
  if (exp >= 16 || exp < -4) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  return `${sign}${digits.slice(0, exp + 1).padEnd(exp + 1, '0')}.${digits.slice(exp + 1) || '0'}`;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
};

/** Python's string escapes (`\u` and `\N{}` only in str literals, not bytes). */
function unescape(body: string, bytes: boolean): string {
  return body.replace(
    /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[\s\S])/g,
    (whole, e: string) => {
      if (e.length > 1 && /^x/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 16));
      if (e.length > 1 && /^[uU]/.test(e)) {
        if (bytes) return whole;
        const cp = parseInt(e.slice(1), 16);
        if (cp > 0x10ffff) throw new NotALiteral();
        return String.fromCodePoint(cp);
      }
      if (/^[0-7]+$/.test(e)) return String.fromCodePoint(parseInt(e, 8));
      if (e === 'x' || e === 'u' || e === 'U' || e === 'N') throw new NotALiteral();
      return ESCAPES[e] ?? whole;
    },
  );
}
