import { Option } from 'commander';
import { collect } from './usage-error.js';

/**
 * Options several commands take, declared once. Each is a factory because commander keeps the
 * Option it is given; `.addOption(shared.var())` keeps the option's place in each command's help.
 */
export const shared = {
  var: () =>
    new Option('--var <key=value>', 'override a variable (repeatable)').argParser(collect).default([]),
  limit: () =>
    new Option('--limit <pattern>', 'restrict hosts to these names, groups or globs (comma-separated)'),
  acceptNewHostKeys: () =>
    new Option(
      '--accept-new-host-keys',
      'trust and record host keys of hosts not yet in known_hosts',
    ).default(false),
  knownHosts: () => new Option('--known-hosts <file>', 'known_hosts file to verify host keys against'),
  execTypes: () => new Option('--exec-types <file>', 'TASKER task files: the execution_types.yaml to use'),
  perHost: () =>
    new Option(
      '--per-host',
      'show every host of a large fan-out (10+ hosts) line by line: live output and one summary row per host, instead of grouped',
    ).default(false),
  store: () =>
    new Option(
      '--store <url>',
      'the run history: postgres://USER@HOST:PORT/DB or a SQLite file (default: $TASKER_STORE, else history.db in the state home)',
    ),
  debug: () =>
    new Option('-d, --debug', 'also say which execution_types.yaml a task file used').default(false),
  oncePer: () =>
    new Option(
      '--once-per <duration>',
      'run only if no run of this workflow (same file and vars) has this schedule slot yet (e.g. 15m); otherwise exit 0',
    ),
};
