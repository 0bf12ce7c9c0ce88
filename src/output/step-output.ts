import { join, resolve } from 'node:path';
import { createCapture } from './capture.js';
import { safeFileName } from './file-name.js';
import { openFileWriter } from './file-writer.js';
import { createLineSplitter } from './lines.js';
import type { Masker } from './masker.js';
import { createStreamMasker } from './stream-masker.js';

export const DEFAULT_CAPTURE_LIMIT_BYTES = 1024 * 1024;
export const DEFAULT_TAIL_LINES = 20;

type OutputStreamName = 'stdout' | 'stderr';

/** Same shape as exec's ExecSink (output may not import exec): a returned promise is back-pressure. */
interface OutputSink {
  stdout(chunk: Buffer): void | Promise<void>;
  stderr(chunk: Buffer): void | Promise<void>;
}

export interface StepOutputOptions {
  /** Run directory, checked before the first step (`checkOutputDir`). */
  dir: string;
  /** `<step>[@host][.attempt]`, made file-name safe here. */
  baseName: string;
  masker: Masker;
  /** Kept in memory per stream for expressions, half head and half tail; default 1 MiB. */
  captureLimitBytes: number;
  /** Last stderr lines kept for summaries; default 20. */
  tailLines: number;
  /** Masked, complete lines (the final partial line at finish); lines over 64 KiB come in pieces. */
  onLine?: (stream: OutputStreamName, line: string) => void;
  /** Create both files even if a stream stays empty (a later step reads them by path). */
  createEmptyFiles?: boolean;
}

export interface CapturedOutput {
  /** Masked, bounded (first and last lines past the limit), one trailing newline removed. */
  stdout: string;
  stderr: string;
  /** Absolute paths; the whole masked stream. A stream that stayed empty has no file (unless `createEmptyFiles`). */
  stdoutFile: string;
  stderrFile: string;
  /** Bytes written to each file (after masking). */
  stdoutBytes: number;
  stderrBytes: number;
  /** Either capture hit the limit (files are still complete). */
  truncated: boolean;
  /** Which streams expressions see only the head and tail of. */
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  stderrTail: string[];
}

export interface StepOutput {
  sink: OutputSink;
  finish(): Promise<CapturedOutput>;
}

function openStream(options: StepOutputOptions, name: OutputStreamName, onTailLine?: (line: string) => void) {
  const path = resolve(join(options.dir, `${safeFileName(options.baseName)}.${name}`));
  const file = openFileWriter(path, { createEmpty: options.createEmptyFiles === true });
  const masker = createStreamMasker(options.masker.secrets);
  const capture = createCapture(options.captureLimitBytes);
  const { onLine } = options;
  const wantLines = onLine !== undefined || onTailLine !== undefined;
  const lines = wantLines
    ? createLineSplitter((line) => {
        onTailLine?.(line);
        onLine?.(name, line);
      })
    : undefined;
  const accept = (masked: Buffer): void | Promise<void> => {
    if (masked.length === 0) return;
    capture.push(masked);
    lines?.push(masked);
    return file.write(masked);
  };
  return {
    file,
    capture,
    write: (chunk: Buffer) => accept(masker.push(chunk)),
    async end(): Promise<void> {
      await accept(masker.flush());
      lines?.end();
      await file.close();
    },
  };
}

/**
 * Output of one execution to `<dir>/<baseName>.stdout|.stderr`; each file is created on its stream's
 * first byte. Never throws: a file that cannot be created or written rejects `finish`, naming it.
 */
export function openStepOutput(options: StepOutputOptions): StepOutput {
  const tail: string[] = [];
  const keepTail = (line: string): void => {
    tail.push(line);
    if (tail.length > options.tailLines) tail.shift();
  };
  const out = openStream(options, 'stdout');
  const err = openStream(options, 'stderr', options.tailLines > 0 ? keepTail : undefined);
  let finished: Promise<CapturedOutput> | undefined;

  async function finishOnce(): Promise<CapturedOutput> {
    const ends = await Promise.allSettled([out.end(), err.end()]);
    const failed = ends.find((e) => e.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return {
      stdout: out.capture.text(),
      stderr: err.capture.text(),
      stdoutFile: out.file.path,
      stderrFile: err.file.path,
      stdoutBytes: out.file.bytes,
      stderrBytes: err.file.bytes,
      truncated: out.capture.truncated || err.capture.truncated,
      stdoutTruncated: out.capture.truncated,
      stderrTruncated: err.capture.truncated,
      stderrTail: [...tail],
    };
  }

  return {
    sink: {
      stdout: (chunk) => (finished === undefined ? out.write(chunk) : undefined),
      stderr: (chunk) => (finished === undefined ? err.write(chunk) : undefined),
    },
    finish: () => (finished ??= finishOnce()),
  };
}
