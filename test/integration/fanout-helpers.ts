import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, type CliResult } from '../helpers/cli.js';
import type { TestSshd } from '../helpers/sshd.js';

/** `h01` … `h16`: the inventory name of the sshd's Nth address (host01 in $TASKER_TEST_HOST). */
export const hostName = (i: number): string => `h${String(i + 1).padStart(2, '0')}`;

/** A `hosts:` block (tasker's shape, indented for a workflow) for the first `n` sshd addresses, plus extra lines. */
export function hostsBlock(s: TestSshd, n = s.addresses.length, extra: string[] = []): string {
  const lines = s.addresses
    .slice(0, n)
    .map(
      (a, i) => `  ${hostName(i)}: { address: ${a}, port: ${s.port}, user: ${s.user}, key: ${s.keyFile} }`,
    );
  return `hosts:\n${[...lines, ...extra].join('\n')}\n`;
}

export function fleetGroup(n: number): string {
  return `groups:\n  fleet: [${Array.from({ length: n }, (_, i) => hostName(i)).join(', ')}]\n`;
}

/** A temp dir with the workflow written into it; returns its path. */
export function writeWorkflow(text: string, dir = tempDir('tasker-fanout-')): string {
  const path = join(dir, 'flow.yaml');
  writeFileSync(path, text);
  return path;
}

/** A directory the sshd's non-root test user can write into. */
export function sharedDir(prefix = 'tasker-remote-'): string {
  const dir = tempDir(prefix);
  chmodSync(dir, 0o777);
  return dir;
}

export interface ReportStep {
  id: string;
  host: string | null;
  status: string;
  exitCode: number | null;
  skipReason: string | null;
  stdoutFile: string | null;
  error: { code: string; message: string } | null;
  changed?: boolean | null;
}

export interface Report {
  status: string;
  exitCode: number;
  unreachableHosts: string[];
  steps: ReportStep[];
}

export function readReport(path: string): Report {
  return JSON.parse(readFileSync(path, 'utf8')) as Report;
}

/** The per-host results of fan-out `id`, keyed by host. */
export function instances(r: Report, id: string): Map<string, ReportStep> {
  return new Map(r.steps.filter((s) => s.id === id && s.host !== null).map((s) => [s.host!, s]));
}

/** `tasker run FILE --output plain` with the sshd's known_hosts and a JSON report, through the built CLI. */
export async function runWithReport(
  file: string,
  knownHostsFile: string,
  args: readonly string[] = [],
): Promise<CliResult & { report: Report }> {
  const json = join(tempDir(), 'report.json');
  const r = await runCli([
    'run',
    file,
    '--output',
    'plain',
    '--known-hosts',
    knownHostsFile,
    '--json',
    json,
    ...args,
  ]);
  return { ...r, report: readReport(json) };
}
