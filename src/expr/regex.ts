import { RE2JS } from 're2js';

/**
 * `/pattern/flags` of an expression, compiled by RE2 (re2js, a pure-JS port): matching takes time
 * linear in the text, so `stdout ~ /^(a+)+$/` on a long line cannot block tasker past a timeout or
 * a signal. JavaScript spellings RE2 reads differently (`\uXXXX`, `(?<name>…)`) are translated;
 * what RE2 cannot do in linear time (backreferences, lookahead, lookbehind) is a `bad-regex` error.
 */
export type CompiledRegex =
  { ok: true; test: (text: string) => boolean } | { ok: false; reason: string; hint: string };

const FLAGS: Readonly<Record<string, number>> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  // RE2 matches Unicode code points always: `u` is accepted and changes nothing.
  u: 0,
};

const cache = new Map<string, CompiledRegex>();
const CACHE_MAX = 256;

export function compileRegex(pattern: string, flags: string): CompiledRegex {
  const key = `${flags}/${pattern}`;
  let hit = cache.get(key);
  if (hit) return hit;
  hit = compile(pattern, flags);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, hit);
  return hit;
}

function compile(pattern: string, flags: string): CompiledRegex {
  let bits = 0;
  for (const f of flags) {
    const bit = FLAGS[f];
    if (bit === undefined || flags.indexOf(f) !== flags.lastIndexOf(f))
      return { ok: false, reason: `unknown or repeated flag \`${f}\``, hint: 'flags may be i, m, s, u' };
    bits |= bit;
  }
  // Before translating: the translation reads `\k` as a plain `k`, as JavaScript does without `u`.
  const unsupported = unsupportedSyntax(pattern);
  if (unsupported) return { ok: false, ...unsupported };
  try {
    const re = RE2JS.compile(RE2JS.translateRegExp(pattern), bits);
    return { ok: true, test: (text) => re.matcher(text).find() };
  } catch (e) {
    const reason = e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : String(e);
    return { ok: false, reason, hint: 'regexes use RE2 syntax (docs/workflow-format.md#regexes)' };
  }
}

const LOOKAROUND = {
  reason: 'lookahead and lookbehind (`(?=`, `(?!`, `(?<=`, `(?<!`) are not supported',
  hint: 'RE2 matches in linear time without them: match the text itself, or test with a second `~` / `!~`',
};
const BACKREFERENCE = {
  reason: 'backreferences (`\\1`, `\\k<name>`) are not supported',
  hint: 'RE2 matches in linear time without them: spell the repeated text out, or compare with `==`',
};

/** Constructs backtracking engines have and RE2 refuses, found by a scan that knows escapes and classes. */
function unsupportedSyntax(p: string): { reason: string; hint: string } | undefined {
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      const next = p[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && p[i + 2] === '<')) return BACKREFERENCE;
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') inClass = true;
    else if (c === '(' && /^\(\?<?[=!]/.test(p.slice(i, i + 4))) return LOOKAROUND;
  }
  return undefined;
}
