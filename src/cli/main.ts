#!/usr/bin/env node
import { commandWord, guardStdio, STOPS_ON_CLOSED_STDOUT } from './closed-pipes.js';
import { main } from './program.js';

const FLUSH_WAIT_MS = 10_000;

/** process.exit drops what a socket stdout (a spawning Node parent, systemd) has not taken yet. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    // Bounded: a reader that stopped reading must not keep cron waiting either.
    const timer = setTimeout(resolve, FLUSH_WAIT_MS);
    stream.write('', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const argv = process.argv.slice(2);
// A closed pipe never crashes tasker; a command that only prints stops there with 0 (docs/cli.md).
guardStdio(process, () => {
  if (STOPS_ON_CLOSED_STDOUT.has(commandWord(argv) ?? '')) process.exit(0);
});
const code = await main(argv);
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
// The only process.exit calls: lingering handles (a half-closed socket, a stuck child) must not keep cron waiting.
process.exit(code);
