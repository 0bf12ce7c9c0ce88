import { writeFile } from 'node:fs/promises';
import { pingWorkflowFile, type HostPing } from '../../api/ping.js';
import type { Io } from '../io.js';
import { printDiagnostics } from '../diagnostics.js';

export interface PingFlags {
  vars: Record<string, string>;
  limit?: string;
  acceptNewHostKeys: boolean;
  knownHosts?: string;
  concurrency?: number;
  /** true: JSON on stdout instead of lines; a string: lines on stdout and JSON into that file. */
  json: boolean | string;
  color: boolean;
}

const LABELS: Readonly<Record<string, string>> = {
  unreachable: 'UNREACHABLE',
  auth: 'AUTH',
  'host-key': 'HOST-KEY',
};

/** `ok web1 deploy@10.0.0.11 38ms` / `UNREACHABLE web2: …`: one stable line per host. */
function pingLine(h: HostPing): string {
  const r = h.result;
  if (r.kind === 'ok') return `ok ${h.host} ${r.user}@${r.address} ${r.ms}ms`;
  return `${LABELS[r.code] ?? `ERROR(${r.code})`} ${h.host}: ${r.message}`;
}

function pingJson(hosts: readonly HostPing[], exitCode: number): string {
  const rows = hosts.map((h) =>
    h.result.kind === 'ok'
      ? { host: h.host, status: 'ok', user: h.result.user, address: h.result.address, ms: h.result.ms }
      : { host: h.host, status: h.result.code, message: h.result.message },
  );
  const failed = rows.filter((r) => r.status !== 'ok').map((r) => r.host);
  return `${JSON.stringify({ exitCode, ok: rows.length - failed.length, failed, hosts: rows }, null, 2)}\n`;
}

/** `tasker ping FILE` (and `run --check-hosts`): 0 when every host answered, 3 when any did not, 2 when invalid. */
export async function pingCommand(file: string, flags: PingFlags, io: Io): Promise<number> {
  const printed: (HostPing | undefined)[] = [];
  let shown = 0;
  // Lines come out in target order, each as soon as every host before it has answered.
  const onHost = (h: HostPing, i: number): void => {
    printed[i] = h;
    for (let next = printed[shown]; next !== undefined; next = printed[shown]) {
      if (flags.json !== true) io.out(pingLine(next));
      shown += 1;
    }
  };
  const outcome = await pingWorkflowFile(file, {
    vars: flags.vars,
    limit: flags.limit,
    concurrency: flags.concurrency,
    ssh: {
      hostKeyPolicy: flags.acceptNewHostKeys ? 'accept-new' : 'strict',
      ...(flags.knownHosts ? { knownHostsFiles: [flags.knownHosts] } : {}),
    },
    onHost,
  });
  printDiagnostics(outcome.diagnostics, io, flags.color);
  if (outcome.kind === 'invalid') {
    io.err(`${file}: invalid, no host was contacted`);
    return 2;
  }
  if (outcome.hosts.length === 0)
    io.err(`${file}: no step runs on an SSH host (after --limit); nothing to check`);
  const json = pingJson(outcome.hosts, outcome.exitCode);
  if (flags.json === true) io.out(json.trimEnd());
  else if (typeof flags.json === 'string') await writeFile(flags.json, json);
  const failed = outcome.hosts.filter((h) => h.result.kind !== 'ok');
  if (failed.length > 0 && flags.json !== true)
    io.err(
      `tasker: ${failed.length} of ${outcome.hosts.length} hosts failed: ${failed.map((h) => h.host).join(', ')}`,
    );
  return outcome.exitCode;
}
