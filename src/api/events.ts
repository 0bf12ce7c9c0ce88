import type { Reporter, RunEvent } from '../model/events.js';

/** Fans events out to reporters; a reporter that throws is reported once and then ignored, never the run. */
export function fanOut(
  reporters: readonly Reporter[],
  onError: (err: unknown) => void,
): (e: RunEvent) => void {
  const broken = new Set<Reporter>();
  return (event) => {
    for (const reporter of reporters) {
      if (broken.has(reporter)) continue;
      const handler = reporter[event.kind] as ((e: RunEvent) => void) | undefined;
      try {
        handler?.(event);
      } catch (err) {
        broken.add(reporter);
        onError(err);
      }
    }
  };
}

export async function closeAll(reporters: readonly Reporter[]): Promise<void> {
  await Promise.allSettled(reporters.map(async (r) => r.close?.()));
}
