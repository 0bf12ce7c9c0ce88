import { formatTable, publicRun, resolveRun, stepLabel, stepTail, withHistory } from '../../api/history.js';
import { stepJson } from '../../model/result-json.js';
import { leftProcesses, type LeftProcess } from '../../api/left-processes.js';
import { formatElapsed } from '../../report/durations.js';
import type { HistoryStore, RunRecord, StepRecord } from '../../store/index.js';
import type { Io } from '../io.js';

const FAILING: readonly string[] = ['failed', 'timed-out', 'unreachable', 'cancelled'];
const TAIL_LINES = 20;

/** `tasker show RUN`: the run, its steps, and the tail of each failing step's output; 2 when RUN is unknown. */
export async function showCommand(
  ref: string,
  flags: { json: boolean; store?: string },
  io: Io,
): Promise<number> {
  return withHistory(
    async (store) => {
      const found = await resolveRun(store, ref);
      if ('error' in found) {
        io.err(`tasker: ${found.error}`);
        return 2;
      }
      const steps = await store.stepsOf(found.run.id);
      const left = found.run.status === 'running' ? [] : leftProcesses(found.run);
      if (flags.json)
        io.out(
          JSON.stringify(
            { run: publicRun(found.run), steps: steps.map(publicStep), processes: left },
            null,
            2,
          ),
        );
      else await printRun(store, found.run, steps, left, io);
      return 0;
    },
    { store: flags.store },
  );
}

async function printRun(
  store: HistoryStore,
  run: RunRecord,
  steps: StepRecord[],
  left: LeftProcess[],
  io: Io,
): Promise<void> {
  const field = (name: string, value: string | number | null) => {
    if (value !== null && value !== '') io.out(`${`${name}:`.padEnd(10)}${value}`);
  };
  field('run', run.id);
  field('workflow', `${run.workflow} (${run.file})`);
  field('status', `${run.status}${run.exitCode === null ? '' : `, exit ${run.exitCode}`}`);
  field('started', `${new Date(run.startedAt).toISOString()} on ${run.host} (pid ${run.pid})`);
  field('duration', formatElapsed(run.durationMs));
  field('failed', run.failedLabel);
  field('error', run.error);
  field('resumed', run.resumedFrom === null ? null : `from run ${run.resumedFrom}`);
  field('alert', run.alert);
  field('dir', run.runDir);
  io.out('');
  const header = ['STEP', 'STATUS', 'EXIT', 'DURATION', 'NOTE'];
  for (const line of formatTable([header, ...steps.map(stepRow)])) io.out(line);
  printLeft(left, io);
  for (const s of steps.filter((x) => FAILING.includes(x.status))) await printTail(store, s, io);
}

/** What became of the local step processes that were running when tasker died (checked now). */
function printLeft(left: LeftProcess[], io: Io): void {
  if (left.length === 0) return;
  io.out('');
  io.out('tasker died while these local step processes ran (checked now):');
  for (const p of left) {
    const now =
      p.state === 'running'
        ? `still running (pid${p.pids.length > 1 ? 's' : ''} ${p.pids.join(' ')}); stop with kill -TERM -- -${p.pgid}`
        : p.state === 'gone'
          ? 'gone'
          : `unknown (${p.why})`;
    io.out(`  ${p.label}: process group ${p.pgid}: ${now}`);
  }
}

function stepRow(s: StepRecord): string[] {
  const note = [s.skipReason, s.error?.message ?? s.error?.code, s.note].filter(Boolean).join('; ');
  return [
    stepLabel(s),
    s.status,
    s.exitCode === null ? '-' : String(s.exitCode),
    formatElapsed(s.durationMs),
    note,
  ];
}

async function printTail(store: HistoryStore, s: StepRecord, io: Io): Promise<void> {
  const stderr = await stepTail(store, s, 'stderr', TAIL_LINES);
  const lines = stderr.length > 0 ? stderr : await stepTail(store, s, 'stdout', TAIL_LINES);
  if (lines.length === 0) return;
  const which = stderr.length > 0 ? 'stderr' : 'stdout';
  io.out('');
  io.out(`--- ${stepLabel(s)} (${s.status}): last ${lines.length} lines of ${which} ---`);
  for (const line of lines) io.out(line);
}

/** The step as report.json prints it (the one codec), without the history's row number. */
function publicStep(s: StepRecord): Record<string, unknown> {
  const { seq: _seq, runId: _run, ...fields } = s;
  return stepJson(fields);
}
