/**
 * A reader that goes away (`tasker history | head -1`, `| grep -q`) makes writes to stdout or stderr
 * fail with EPIPE. That must never crash tasker: a run goes on to its end and its `finally` and
 * exits with its own code; what it would have printed there is dropped.
 */

/** Commands that only print: once nobody reads their output they stop, exit 0, like `git log | head`. */
export const STOPS_ON_CLOSED_STDOUT: ReadonlySet<string> = new Set([
  'history',
  'show',
  'prune',
  'logs',
  'plan',
  'validate',
  'schema',
  'convert',
  'help',
]);

/** The command word of a command line (the first argument that is not a flag), if any. */
export function commandWord(argv: readonly string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-'));
}

/**
 * Swallows write errors on stdout and stderr (EPIPE, or EIO from a vanished terminal): the stream
 * is marked closed and later writes go nowhere. `onStdoutClosed` runs once, at the first error.
 */
export function guardStdio(
  streams: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream },
  onStdoutClosed: () => void,
): void {
  let stdoutClosed = false;
  streams.stdout.on('error', () => {
    if (stdoutClosed) return;
    stdoutClosed = true;
    dropWrites(streams.stdout);
    onStdoutClosed();
  });
  let stderrClosed = false;
  streams.stderr.on('error', () => {
    if (stderrClosed) return;
    stderrClosed = true;
    dropWrites(streams.stderr);
  });
}

/** Later writes succeed without writing: reporters and `io.out` need not know the reader left. */
function dropWrites(stream: NodeJS.WriteStream): void {
  stream.write = (_chunk: unknown, encoding?: unknown, cb?: unknown) => {
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  };
}
