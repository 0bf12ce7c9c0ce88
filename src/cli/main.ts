#!/usr/bin/env node
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

const code = await main(process.argv.slice(2));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
// The only process.exit: lingering handles (a half-closed socket, a stuck child) must not keep cron waiting.
process.exit(code);
