import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runWorkflowFile } from '../../api/run.js';
import { loadTaskFile, taskIdOf, taskKindsOf, type TaskFileOptions } from '../../legacy/index.js';
import type { RunResult } from '../../model/result.js';
import type { Io } from '../io.js';
import { printDiagnostics } from '../diagnostics.js';
import { referenceTasker, runReference, type ReferenceRun, type ReferenceTask } from '../tasker-reference.js';
import { execTypesOptions } from '../tasker-options.js';

export interface ConvertFlags {
  /** Write the YAML here instead of stdout. */
  output?: string;
  /** Run the task file and the YAML and compare per-task results and exit codes. */
  check: boolean;
  /** `--tasker PATH`: the original TASKER to compare with (else `$TASKER_BIN`). */
  tasker?: string;
}

/** `tasker convert FILE.txt`: prints the equivalent YAML workflow; 2 when the task file is invalid. */
export async function convertCommand(file: string, flags: ConvertFlags, io: Io): Promise<number> {
  const legacy: TaskFileOptions = { ...execTypesOptions(undefined, process.env), env: process.env };
  const loaded = await loadTaskFile(file, legacy);
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
  const tasker = referenceTasker(flags.tasker, process.env);
  return tasker ? compareWithTasker(tasker, file, yamlPath, io) : compareSelf(file, yamlPath, legacy, io);
}

type Row = { exit: number; success: boolean };

/** tasker's per-task rows: task id → exit (-1 when skipped, as TASKER stores it) and success. */
function taskerRows(r: RunResult): Map<number, Row> {
  const rows = new Map<number, Row>();
  for (const s of r.steps) {
    const id = taskIdOf(s.id);
    if (id === undefined || (s.exitCode === null && s.status !== 'skipped')) continue;
    rows.set(id, { exit: s.status === 'skipped' ? -1 : s.exitCode!, success: s.status === 'ok' });
  }
  return rows;
}

/** TASKER runs the task file, tasker the converted YAML: exit codes and per-task results must agree. */
async function compareWithTasker(tasker: string, txt: string, yaml: string, io: Io): Promise<number> {
  const ref = await runReference(tasker, txt);
  if ('error' in ref) return (io.err(`tasker convert --check: ${ref.error}`), 2);
  const ours = await runOnce(yaml);
  if (!ours) return (io.err('tasker convert --check: the converted YAML could not run'), 2);
  const kinds = taskKindsOf(await readFile(txt, 'utf8'), txt);
  const diffs = referenceDiffs(ref, taskerRows(ours), (id) => NOT_COMPARED.has(kinds.get(id) ?? 'normal'));
  if (ours.exitCode !== ref.exitCode)
    diffs.push(`  exit code: TASKER ${ref.exitCode}, tasker ${ours.exitCode}`);
  const scope = ref.tasks
    ? 'per-task results and exit code'
    : 'exit code (TASKER wrote no JSON for this run)';
  if (diffs.length === 0) {
    io.err(`tasker convert --check: TASKER (${tasker}) and tasker agree: same ${scope} ${ours.exitCode}`);
    return 0;
  }
  io.err(`tasker convert --check: TASKER (${tasker}) and tasker differ:\n${diffs.join('\n')}`);
  return 1;
}

/**
 * A block's own row is TASKER's "all subtasks succeeded", not its policy outcome, and TASKER stores
 * none for a decision (difference 4): their subtasks, routing and the exit code are compared instead.
 */
const NOT_COMPARED: ReadonlySet<string> = new Set(['parallel', 'conditional', 'decision']);

/** Rows that differ, leaving out the tasks `skip` names. */
function referenceDiffs(ref: ReferenceRun, ours: Map<number, Row>, skip: (id: number) => boolean): string[] {
  if (!ref.tasks) return [];
  const show = (r: ReferenceTask | Row | undefined) =>
    r ? `exit ${r.exit} ${r.success ? 'success' : 'failure'}` : 'did not run';
  const ids = [...new Set([...ref.tasks.keys(), ...ours.keys()])].sort((a, b) => a - b);
  return ids.flatMap((id) => {
    const a = ref.tasks!.get(id);
    const b = ours.get(id);
    if (skip(id)) return [];
    return a?.exit === b?.exit && a?.success === b?.success
      ? []
      : [`  task ${id}: TASKER ${show(a)}, tasker ${show(b)}`];
  });
}

/** Without TASKER: the task file and the YAML both through tasker, which cannot catch a translation bug. */
async function compareSelf(txt: string, yaml: string, legacy: TaskFileOptions, io: Io): Promise<number> {
  io.err(
    'tasker convert --check: TASKER not found (--tasker PATH or $TASKER_BIN): only tasker was compared, the task file against its converted YAML; this cannot catch a translation bug',
  );
  const a = await runOnce(txt, legacy);
  const b = await runOnce(yaml);
  if (!a || !b) return (io.err('tasker convert --check: one of the files could not run'), 2);
  const left = taskerRows(a);
  const right = taskerRows(b);
  const diffs: string[] = [];
  for (const id of [...new Set([...left.keys(), ...right.keys()])].sort((x, y) => x - y))
    if (JSON.stringify(left.get(id) ?? null) !== JSON.stringify(right.get(id) ?? null))
      diffs.push(
        `  task ${id}: task file ${JSON.stringify(left.get(id) ?? null)}, YAML ${JSON.stringify(right.get(id) ?? null)}`,
      );
  if (a.exitCode !== b.exitCode) diffs.push(`  exit code: task file ${a.exitCode}, YAML ${b.exitCode}`);
  if (diffs.length === 0)
    return (io.err(`tasker convert --check: same per-task results and exit code ${a.exitCode}`), 0);
  io.err(`tasker convert --check: the runs differ:\n${diffs.join('\n')}`);
  return 1;
}

async function runOnce(path: string, legacy?: TaskFileOptions): Promise<RunResult | undefined> {
  const out = await runWorkflowFile(path, { lock: false, notify: false, ...(legacy ? { legacy } : {}) });
  return out.kind === 'ran' ? out.result : undefined;
}
