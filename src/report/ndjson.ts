import type { Reporter, RunEvent } from '../model/events.js';
import { openAppendFile } from './append-file.js';
import { stepNodes } from '../model/plan-walk.js';

export interface NdjsonReporterOptions {
  path: string;
}

/**
 * Appends each event to `path` as one JSON line, as it happens (one synchronous write per event,
 * see append-file.ts). Events keep their shape (`at` in epoch ms) except `run-start`, whose plan is
 * summarized as `{ name, file, format, steps }`. `close()` rejects if the file could not be written.
 */
export function createNdjsonReporter(o: NdjsonReporterOptions): Reporter {
  const file = openAppendFile(o.path, 'the event log');
  const write = (event: RunEvent): void => void file.write(`${JSON.stringify(toRecord(event))}\n`);
  return {
    'run-start': write,
    'step-start': write,
    'step-output': write,
    'step-retry': write,
    'step-end': write,
    'run-interrupt': write,
    'run-end': write,
    close: () => file.close(),
  };
}

function toRecord(event: RunEvent): unknown {
  if (event.kind !== 'run-start') return event;
  const { plan, ...rest } = event;
  return {
    ...rest,
    plan: { name: plan.name, file: plan.file, format: plan.format, steps: stepNodes(plan.root).length },
  };
}
