import { createWriteStream } from 'node:fs';
import type { Reporter, RunEvent } from '../model/events.js';
import { countRunnableSteps } from './plan-nodes.js';

export interface NdjsonReporterOptions {
  path: string;
}

/**
 * Appends each event to `path` as one JSON line, as it happens. Events keep their shape (`at` in
 * epoch ms) except `run-start`, whose plan is summarized as `{ name, file, format, steps }`.
 * `close()` resolves once every line is flushed, and rejects if the file could not be written.
 */
export function createNdjsonReporter(o: NdjsonReporterOptions): Reporter {
  const stream = createWriteStream(o.path, { flags: 'a', encoding: 'utf8' });
  let failure: Error | undefined;
  stream.on('error', (err) => {
    failure ??= new Error(
      `cannot write the event log ${o.path}: ${err.message}; check the directory exists and is writable`,
      {
        cause: err,
      },
    );
  });
  let closed = false;
  const write = (event: RunEvent): void => {
    if (!closed && !failure) stream.write(`${JSON.stringify(toRecord(event))}\n`);
  };
  return {
    'run-start': write,
    'step-start': write,
    'step-output': write,
    'step-retry': write,
    'step-end': write,
    'run-interrupt': write,
    'run-end': write,
    close: () => {
      if (closed) return Promise.resolve();
      closed = true;
      return new Promise<void>((resolve, reject) => {
        // 'close' follows both a flushed end and a failed write, after 'error' has set `failure`.
        const settle = (): void => (failure ? reject(failure) : resolve());
        if (stream.closed) return settle();
        stream.once('close', settle);
        stream.end();
      });
    },
  };
}

function toRecord(event: RunEvent): unknown {
  if (event.kind !== 'run-start') return event;
  const { plan, ...rest } = event;
  return {
    ...rest,
    plan: { name: plan.name, file: plan.file, format: plan.format, steps: countRunnableSteps(plan.root) },
  };
}
