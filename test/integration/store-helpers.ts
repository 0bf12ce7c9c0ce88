import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';

export interface HistoryRow {
  id: string;
  status: string;
  exitCode: number | null;
  startedAt: string;
  endedAt: string | null;
  failedStep: string | null;
  failedLabel: string | null;
  resumedFrom: string | null;
  alert: string | null;
  runDir: string;
  pid: number;
}

export interface ShowJson {
  run: HistoryRow;
  steps: {
    id: string;
    host: string | null;
    status: string;
    exitCode: number | null;
    skipReason: string | null;
    note: string | null;
  }[];
}

/** A work dir with a workflow file in it, and a state home of its own. */
export function workspace(yaml: string, name = 'wf.yaml') {
  const dir = tempDir('tasker-ops-');
  const file = join(dir, name);
  writeFileSync(file, yaml);
  const home = join(dir, 'home');
  return { dir, file, home, env: { TASKER_HOME: home } };
}

/** `tasker history --json ARGS` over the state home `home`, or with the env `home` (a box, say). */
export async function history(
  home: string | Record<string, string>,
  ...args: string[]
): Promise<HistoryRow[]> {
  const env = typeof home === 'string' ? { TASKER_HOME: home } : home;
  const r = await runCli(['history', '--json', ...args], env);
  if (r.code !== 0) throw new Error(`history exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as HistoryRow[];
}

export async function show(home: string, run = 'last'): Promise<ShowJson> {
  const r = await runCli(['show', run, '--json'], { TASKER_HOME: home });
  if (r.code !== 0) throw new Error(`show exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as ShowJson;
}

export const stepOf = (s: ShowJson, id: string) => s.steps.find((x) => x.id === id && x.host === null);
