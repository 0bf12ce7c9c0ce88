import type { Command } from 'commander';
import type { Io } from './io.js';
import { shared } from './options.js';
import { parsePositiveInt } from './usage-error.js';

/** history, show, logs, prune: each loads its module (and SQLite) only when it runs. */
export function registerHistoryCommands(program: Command, io: Io, setCode: (code: number) => void): void {
  program
    .command('history')
    .description('list recorded runs, newest first')
    .option('--workflow <name>', 'only runs of this workflow (name or file)')
    .option(
      '--status <status>',
      'only runs that ended so: ok, failed, timed-out, unreachable, interrupted, returned, running',
    )
    .option('--since <when>', 'only runs started in the last 24h / 7d, or since a date (2026-11-01)')
    .option('--limit <n>', 'at most this many runs', '20')
    .option('--json', 'print JSON instead of a table', false)
    .addOption(shared.store())
    .action(
      async (o: {
        workflow?: string;
        status?: string;
        since?: string;
        limit: string;
        json: boolean;
        store?: string;
      }) => {
        const { historyCommand } = await import('./commands/history.js');
        setCode(await historyCommand({ ...o, limit: parsePositiveInt('--limit', o.limit) }, io));
      },
    );
  program
    .command('show')
    .description('show one run: its steps, statuses, durations and the tail of failing output')
    .argument('<run>', 'run id, a unique prefix of it, or `last`')
    .option('--json', 'print JSON instead of text', false)
    .addOption(shared.store())
    .action(async (run: string, o: { json: boolean; store?: string }) => {
      const { showCommand } = await import('./commands/show.js');
      setCode(await showCommand(run, o, io));
    });
  program
    .command('logs')
    .description("print a run's transcript, or one step's output files")
    .argument('<run>', 'run id, a unique prefix of it, or `last`')
    .argument('[step]', 'step id, or step@host for one host of a fan-out')
    .option('-f, --follow', 'keep printing while the run goes on, until it ends', false)
    .addOption(shared.store())
    .action(async (run: string, step: string | undefined, o: { follow: boolean; store?: string }) => {
      const { logsCommand } = await import('./commands/logs.js');
      setCode(await logsCommand(run, step, o, io));
    });
  program
    .command('prune')
    .description('delete old runs from the history, with their run directories')
    .option('--keep <n>', 'keep the newest N runs')
    .option('--older-than <age>', 'delete runs started more than this long ago (30d, 12h)')
    .option('-n, --dry-run', 'list what would be deleted, delete nothing', false)
    .addOption(shared.store())
    .action(async (o: { keep?: string; olderThan?: string; dryRun: boolean; store?: string }) => {
      const { pruneCommand } = await import('./commands/prune.js');
      const keep = o.keep === undefined ? undefined : parsePositiveInt('--keep', o.keep);
      setCode(await pruneCommand({ keep, olderThan: o.olderThan, dryRun: o.dryRun, store: o.store }, io));
    });
}
