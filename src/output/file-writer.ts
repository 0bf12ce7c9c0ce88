import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs';

/** One output file written as bytes arrive; `write` returns a promise when the OS is behind. */
export interface FileWriter {
  readonly path: string;
  readonly bytes: number;
  write(chunk: Buffer): void | Promise<void>;
  /** Flushes and closes; rejects with a message naming the file if any write failed. */
  close(): Promise<void>;
}

/**
 * The file is created at once (so a bad run directory fails before the command starts), but the
 * WriteStream only on the first byte: most steps print nothing to at least one stream, and a
 * stream's open/close round trips were a measured share of the per-step cost.
 */
export function openFileWriter(path: string): FileWriter {
  let fd: number;
  try {
    fd = openSync(path, 'w', 0o600);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(`cannot create output file ${path} (${code}); check that the run directory is writable`, {
      cause,
    });
  }
  let stream: WriteStream | undefined;
  let closing: Promise<void> | undefined;
  let failure: Error | undefined;
  let bytes = 0;
  let waiters: (() => void)[] = [];
  const release = (): void => {
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };
  const fail = (err: Error): void => {
    failure ??= new Error(`cannot write output file ${path}: ${err.message}; check free disk space`, {
      cause: err,
    });
    release();
  };
  const open = (): WriteStream => {
    const s = createWriteStream(path, { fd });
    s.on('drain', release);
    s.on('error', fail);
    return s;
  };

  return {
    path,
    get bytes() {
      return bytes;
    },
    write(chunk) {
      if (failure !== undefined || closing !== undefined || chunk.length === 0) return;
      bytes += chunk.length;
      stream ??= open();
      if (stream.write(chunk)) return;
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    // Once only: a second closeSync could close a descriptor the process has since reused.
    close: () => (closing ??= stream === undefined ? closeEmpty(fd, path) : endStream(stream, () => failure)),
  };
}

function endStream(s: WriteStream, failure: () => Error | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (): void => {
      const error = failure();
      return error === undefined ? resolve() : reject(error);
    };
    if (s.closed) return done();
    s.once('close', done);
    s.end();
  });
}

/** Nothing was written: closing the descriptor directly is all there is to do. */
function closeEmpty(fd: number, path: string): Promise<void> {
  try {
    closeSync(fd);
    return Promise.resolve();
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'error';
    return Promise.reject(new Error(`cannot close output file ${path} (${code})`, { cause }));
  }
}
