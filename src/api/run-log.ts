import type { Reporter } from '../model/events.js';
import { createPlainReporter, openAppendFile } from '../report/index.js';

/** `<runDir>/run.log`: the plain transcript of every run, whatever the terminal showed. */
export function createRunLogReporter(path: string, onError: (err: unknown) => void): Reporter {
  // Synchronous appends: per event they cost a tenth of a WriteStream's, and nothing queues in memory.
  const out = openAppendFile(path, 'the run log');
  // The record keeps every host line by line (what `tasker logs --follow` shows as it happens);
  // grouping large fan-outs is for the terminal.
  const plain = createPlainReporter({ out, perHost: true });
  return { ...plain, close: () => out.close().catch(onError) };
}
