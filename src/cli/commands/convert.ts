import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runWorkflowFile } from '../../api/run.js';
import { loadTaskFile } from '../../legacy/index.js';
import type { RunResult } from '../../model/result.js';
import type { Io } from '../io.js';
import { printDiagnostics } from '../diagnostics.js';

export interface ConvertFlags {
  /** Write the YAML here instead of stdout. */
  output?: string;
  /** Run the task file and the YAML and compare per-task results and exit codes. */
  check: boolean;
}

/** `tasker convert FILE.txt`: prints the equivalent YAML workflow; 2 when the task file is invalid. */
export async function convertCommand(file: string, flags: ConvertFlags, io: Io): Promise<number> {
  const loaded = await loadTaskFile(file);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  printDiagnostics(errors, io, false);
  if (errors.length > 0 || loaded.yaml === undefined) {
    io.err(`${file}: invalid task file, nothing converted`);
    return 2;
  }
  if (flags.output) await writeFile(flags.output, loaded.yaml);
  else io.stdout.write(loaded.yaml);
  if (!flags.check) return 0;
  const yamlPath =
    flags.output ?? join(await mkdtemp(join(tmpdir(), 'tasker-convert-')), `${basename(file)}.yaml`);
  if (!flags.output) await writeFile(yamlPath, loaded.yaml);
  return compareRuns(file, yamlPath, io);
}

type Row = [id: string, status: string, exit: number | null];

/** Runs both files (for real, one after the other) and reports every difference. */
async function compareRuns(txt: string, yaml: string, io: Io): Promise<number> {
  const a = await runOnce(txt);
  const b = await runOnce(yaml);
  if (!a || !b) {
    io.err('tasker convert --check: one of the files could not run');
    return 2;
  }
  const rows = (r: RunResult): Row[] =>
    r.steps.map((s): Row => [s.id, s.status, s.exitCode]).sort((x, y) => x[0].localeCompare(y[0]));
  const left = rows(a);
  const right = rows(b);
  const diffs: string[] = [];
  const ids = [...new Set([...left, ...right].map((r) => r[0]))];
  for (const id of ids) {
    const x = JSON.stringify(left.find((r) => r[0] === id)?.slice(1) ?? null);
    const y = JSON.stringify(right.find((r) => r[0] === id)?.slice(1) ?? null);
    if (x !== y) diffs.push(`  ${id}: task file ${x}, YAML ${y}`);
  }
  if (a.exitCode !== b.exitCode) diffs.push(`  exit code: task file ${a.exitCode}, YAML ${b.exitCode}`);
  if (diffs.length === 0) {
    io.err(`tasker convert --check: same per-task results and exit code ${a.exitCode}`);
    return 0;
  }
  io.err(`tasker convert --check: the runs differ:\n${diffs.join('\n')}`);
  return 1;
}

async function runOnce(path: string): Promise<RunResult | undefined> {
  const out = await runWorkflowFile(path, { lock: false, notify: false });
  return out.kind === 'ran' ? out.result : undefined;
}
