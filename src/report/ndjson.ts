import type { Reporter, RunEvent } from '../model/events.js';
import { openAppendFile } from './append-file.js';
import { stepNodes } from '../model/plan-walk.js';

export interface NdjsonReporterOptions {
  path: string;
}

/**
 * Appends each event to `path` as one JSON line, as it happens (one synchronous write per event,
 * see append-file.ts). Events keep their shape (`at` in epoch ms) except `run-start`, whose plan is
 * summarized as `{ name, file, format, steps }`. Every record of a dry run has `dryRun: true`. `close()` rejects if the file could not be written.
 */
export function createNdjsonReporter(o: NdjsonReporterOptions): Reporter {
  const file = openAppendFile(o.path, 'the event log');
  let dry = false;
  const write = (event: RunEvent): void => {
    if (event.kind === 'run-start') dry = event.dryRun === true;
    const record = toRecord(event);
    void file.write(`${JSON.stringify(dry ? { ...record, dryRun: true } : record)}\n`);
  };
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

function toRecord(event: RunEvent): Record<string, unknown> {
  if (event.kind !== 'run-start') return event;
  const { plan, ...rest } = event;
  return {
    ...rest,
    plan: { name: plan.name, file: plan.file, format: plan.format, steps: stepNodes(plan.root).length },
  };
}
