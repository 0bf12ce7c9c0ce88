import type { Command } from 'commander';
import type { Io } from './io.js';
import { shared } from './options.js';
import { parsePositiveInt, parseVarFlags } from './usage-error.js';

export interface PingCliOptions {
  var: string[];
  limit?: string;
  acceptNewHostKeys: boolean;
  knownHosts?: string;
  concurrency?: string;
}

export function pingFlags(o: PingCliOptions, color: boolean) {
  return {
    vars: parseVarFlags(o.var),
    limit: o.limit,
    acceptNewHostKeys: o.acceptNewHostKeys,
    knownHosts: o.knownHosts,
    concurrency: o.concurrency === undefined ? undefined : parsePositiveInt('--concurrency', o.concurrency),
    color,
  };
}

/** `tasker ping FILE`: connect and authenticate every target host, run nothing. */
export function registerPing(
  program: Command,
  io: Io,
  setCode: (code: number) => void,
  color: boolean,
): void {
  program
    .command('ping')
    .description(
      'connect to and authenticate on every host a workflow targets, run nothing; exit 0 all ok, 3 any failed',
    )
    .argument('<file>', 'workflow file')
    .addOption(shared.var())
    .addOption(shared.limit())
    .addOption(shared.acceptNewHostKeys())
    .addOption(shared.knownHosts())
    .option('-c, --concurrency <n>', 'hosts connected to at once (default 32)')
    .option('--json', 'print JSON instead of one line per host', false)
    .action(async (file: string, o: PingCliOptions & { json: boolean }) => {
      const { pingCommand } = await import('./commands/ping.js');
      setCode(await pingCommand(file, { ...pingFlags(o, color), json: o.json }, io));
    });
}
