import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs';

/** One output file written as bytes arrive; `write` returns a promise when the OS is behind. */
export interface FileWriter {
  readonly path: string;
  readonly bytes: number;
  write(chunk: Buffer): void | Promise<void>;
  /** Flushes and closes; rejects with a message naming the file if creating or writing it failed. */
  close(): Promise<void>;
}

export interface FileWriterOptions {
  /** Create the file even if nothing is written (someone will read it by its path). */
  createEmpty?: boolean;
}

/**
 * The file is created (asynchronously) on the first byte, so a stream that stays empty leaves no
 * file: a synchronous open per stream was ~1 ms of every step. The run directory is checked once,
 * before the first step (`checkOutputDir`); a fault later surfaces here, at `close`, naming the file.
 */
export function openFileWriter(path: string, options: FileWriterOptions = {}): FileWriter {
  let stream: WriteStream | undefined;
  let closing: Promise<void> | undefined;
  let failure: Error | undefined;
  let bytes = 0;
  let opened = false;
  let waiters: (() => void)[] = [];
  const release = (): void => {
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };
  const fail = (err: NodeJS.ErrnoException): void => {
    failure ??= writeFault(path, err, !opened);
    release();
  };
  const open = (): WriteStream => {
    const s = createWriteStream(path, { flags: 'w', mode: 0o600 });
    s.once('open', () => (opened = true));
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
    close: () =>
      (closing ??=
        stream !== undefined
          ? endStream(stream, () => failure)
          : options.createEmpty === true
            ? createEmptyFile(path)
            : Promise.resolve()),
  };
}

/** Says whether the file could not be created or could not be written, with the fix for each. */
function writeFault(path: string, err: NodeJS.ErrnoException, opening: boolean): Error {
  const code = err.code ?? 'error';
  const fix =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'free disk space'
      : 'check that the run directory still exists and is writable';
  const what = opening ? 'create' : 'write';
  return new Error(`cannot ${what} output file ${path}: ${err.message}; ${fix}`, { cause: err });
}

function endStream(s: WriteStream, failure: () => Error | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    if (s.closed) return resolve();
    s.once('close', () => resolve());
    s.end();
  }).then(() => {
    const error = failure();
    if (error !== undefined) throw error;
  });
}

/** `createEmpty`: the file exists, empty, once `close` resolves. */
function createEmptyFile(path: string): Promise<void> {
  try {
    closeSync(openSync(path, 'w', 0o600));
    return Promise.resolve();
  } catch (cause) {
    return Promise.reject(writeFault(path, cause as NodeJS.ErrnoException, true));
  }
}
