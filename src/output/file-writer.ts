import { createWriteStream, openSync } from 'node:fs';

/** One output file written as bytes arrive; `write` returns a promise when the OS is behind. */
export interface FileWriter {
  readonly path: string;
  readonly bytes: number;
  write(chunk: Buffer): void | Promise<void>;
  /** Flushes and closes; rejects with a message naming the file if any write failed. */
  close(): Promise<void>;
}

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
  const stream = createWriteStream(path, { fd });
  let failure: Error | undefined;
  let bytes = 0;
  let waiters: (() => void)[] = [];
  const release = (): void => {
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };
  stream.on('drain', release);
  stream.on('error', (err) => {
    failure ??= new Error(`cannot write output file ${path}: ${err.message}; check free disk space`, {
      cause: err,
    });
    release();
  });

  return {
    path,
    get bytes() {
      return bytes;
    },
    write(chunk) {
      if (failure !== undefined || chunk.length === 0) return;
      bytes += chunk.length;
      if (stream.write(chunk)) return;
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        const done = (): void => (failure === undefined ? resolve() : reject(failure));
        if (stream.closed) return done();
        stream.once('close', done);
        stream.end();
      });
    },
  };
}
