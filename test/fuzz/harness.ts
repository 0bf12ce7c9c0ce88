import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { checkScript, parseTemplate, renderTemplate, type Locator } from '../../src/expr/index.js';
import type { Diagnostic } from '../../src/model/index.js';
import { CONTEXTS, type FuzzContext } from './contexts.js';
import { HOSTILE, payloadArb } from './payloads.js';

export const caseArb = fc.record({ context: fc.constantFrom(...CONTEXTS), payload: payloadArb });

export interface FuzzCase {
  context: FuzzContext;
  payload: string;
}

const locate: Locator = (start, end) => ({
  file: 'fuzz.yaml',
  line: 1,
  col: start + 1,
  endLine: 1,
  endCol: end + 1,
});

export type Rendered =
  | { kind: 'refused'; diagnostics: Diagnostic[] }
  | { kind: 'refused-at-run'; message: string }
  | { kind: 'script'; script: string };

// Parsed once per context: the placement depends only on the script, and shellLayout caches it per template.
const parsedContexts = new Map<FuzzContext, ReturnType<typeof parseTemplate>>();
function parsedContext(context: FuzzContext): ReturnType<typeof parseTemplate> {
  let parsed = parsedContexts.get(context);
  if (!parsed) parsedContexts.set(context, (parsed = parseTemplate(context.script, locate)));
  return parsed;
}

/** What tasker does with the case: validation (parse + placement check), then rendering. */
export function renderCase(c: FuzzCase): Rendered {
  const parsed = parsedContext(c.context);
  if (!parsed.template) throw new Error(`fuzz context does not parse as a template: ${c.context.name}`);
  const diagnostics = checkScript(parsed.template, parsed.starts, locate);
  if (diagnostics.length > 0) return { kind: 'refused', diagnostics };
  const r = renderTemplate(parsed.template, { vars: { x: c.payload }, env: {}, steps: {} }, 'shell');
  return r.ok ? { kind: 'script', script: r.value } : { kind: 'refused-at-run', message: r.error.message };
}

const SHELLS: Readonly<Record<string, string>> = {
  dash: 'dash',
  bash: 'bash',
  'bash --posix': 'bash --posix',
};

interface Finding {
  kind: 'executed' | 'wrong-text' | 'refused-safe-position' | 'refused-at-run';
  shell?: string;
  context: string;
  payload: string;
  script?: string;
  detail: string;
}

export interface FuzzReport {
  cases: number;
  refused: number;
  executed: number;
  shellRuns: number;
  findings: Finding[];
}

// One bash driver per shell runs every script of a batch in its own directory: fork+exec from a shell
// costs a fraction of a Node spawn, which keeps 100,000 cases × 3 shells within minutes.
const DRIVER = `i=0
while IFS= read -r -d '' s; do
  (cd "$ROOT/$i" && exec $SH -c "$s" </dev/null >/dev/null 2>&1)
  i=$((i+1))
done < "$ROOT/scripts"`;

/** Renders and runs a batch of cases under every shell; returns what went wrong. */
export function runBatch(cases: readonly FuzzCase[], report: FuzzReport): void {
  const root = mkdtempSync(join(tmpdir(), 'tasker-fuzz-'));
  try {
    const runnable: Array<{ c: FuzzCase; script: string }> = [];
    for (const c of cases) {
      report.cases++;
      const r = renderCase(c);
      if (r.kind === 'script') runnable.push({ c, script: r.script });
      else judgeRefusal(c, r, report);
    }
    for (const [name, sh] of Object.entries(SHELLS)) {
      const dir = join(root, name.replace(/\W/g, '_'));
      mkdirSync(dir);
      writeFileSync(join(dir, 'scripts'), runnable.map((r) => `${r.script}\0`).join(''));
      runnable.forEach((_, i) => mkdirSync(join(dir, String(i))));
      const driver = spawnSync('bash', ['-c', DRIVER], {
        env: { ...process.env, ROOT: dir, SH: sh },
        stdio: 'ignore',
        timeout: 60_000 + runnable.length * 100,
      });
      if (driver.error || driver.status !== 0)
        throw new Error(`fuzz driver for ${name} failed: ${String(driver.error ?? driver.status)}`);
      runnable.forEach((r, i) => judgeRun(r.c, r.script, name, join(dir, String(i)), report));
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function judgeRefusal(c: FuzzCase, r: Exclude<Rendered, { kind: 'script' }>, report: FuzzReport): void {
  report.refused++;
  if (r.kind === 'refused-at-run') {
    // The value-dependent refusals: a quoted here-document line equal to its delimiter, or one that
    // starts with it and goes on with a non-ASCII character (dash drops a byte there).
    if (!/end the here-document early|read wrongly/.test(r.message))
      report.findings.push({
        kind: 'refused-at-run',
        context: c.context.name,
        payload: c.payload,
        detail: r.message,
      });
    return;
  }
  if (c.context.must)
    report.findings.push({
      kind: 'refused-safe-position',
      context: c.context.name,
      payload: c.payload,
      detail: r.diagnostics.map((d) => d.message).join('; '),
    });
}

/** Judges one executed case: a file other than `out` means a value ran; `out` must hold the payload's text. */
export function judgeRun(c: FuzzCase, script: string, shell: string, dir: string, report: FuzzReport): void {
  report.shellRuns++;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    entries = [];
  }
  const extra = entries.filter((e) => e !== 'out');
  const base = { shell, context: c.context.name, payload: c.payload, script };
  if (extra.length > 0) {
    report.executed++;
    report.findings.push({ ...base, kind: 'executed', detail: `created ${extra.join(', ')}` });
    return;
  }
  const out = entries.includes('out') ? readFileSync(join(dir, 'out'), 'utf8') : '<no out file>';
  const want = c.context.expect(c.payload);
  if (out !== want)
    report.findings.push({
      ...base,
      kind: 'wrong-text',
      detail: `got ${JSON.stringify(out)}, want ${JSON.stringify(want)}`,
    });
}

/** Generates `runs` cases from `seed` and runs them in batches. */
export function fuzz(
  runs: number,
  seed: number,
  batch = 2000,
  onBatch?: (r: FuzzReport) => void,
): FuzzReport {
  const report: FuzzReport = { cases: 0, refused: 0, executed: 0, shellRuns: 0, findings: [] };
  const all = fc.sample(caseArb, { numRuns: runs, seed });
  for (let i = 0; i < all.length; i += batch) {
    runBatch(all.slice(i, i + batch), report);
    onBatch?.(report);
  }
  return report;
}

/** Every context with every listed hostile value, deterministic. */
export function crossProduct(): FuzzCase[] {
  return CONTEXTS.flatMap((context) => HOSTILE.map((payload) => ({ context, payload })));
}
