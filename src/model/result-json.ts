import type { AttemptFields, RecordedStepFields, TimeCodec } from './result-codec.js';

/** An epoch-ms time as ISO 8601, or null when the runner left it unset. */
export function isoTime(ms: number): string | null {
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : null;
}

/** Times in JSON documents: ISO 8601 strings (null when unset). */
export const ISO_TIME: TimeCodec = {
  read: (c, key) => {
    const t = Date.parse(c.string(key));
    return Number.isNaN(t) ? c.fail(key, 'an ISO 8601 time') : t;
  },
};

type Timed = 'startedAt' | 'endedAt';

/** An attempt in JSON: the codec's fields, times as ISO strings. */
export type AttemptJson = Omit<AttemptFields, Timed> & { startedAt: string | null; endedAt: string | null };

/** A step in JSON (report.json, `show --json`, the serve API): the codec's fields, times as ISO strings. */
export type StepJson = Omit<RecordedStepFields, Timed | 'attempts'> & {
  startedAt: string | null;
  endedAt: string | null;
  attempts: AttemptJson[];
};

/** A step as the JSON report and `show --json` print it: the flat fields, times as ISO strings. */
export function stepJson(s: RecordedStepFields): StepJson {
  return {
    ...s,
    startedAt: isoTime(s.startedAt),
    endedAt: s.endedAt === null ? null : isoTime(s.endedAt),
    attempts: s.attempts.map(attemptJson),
  };
}

function attemptJson(a: AttemptFields): AttemptJson {
  return { ...a, startedAt: isoTime(a.startedAt), endedAt: isoTime(a.endedAt) };
}
