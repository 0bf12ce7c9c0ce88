import type { CancelReason } from '../model/cancel.js';

export interface Interrupts {
  /** Aborted by the first SIGINT/SIGTERM: stop scheduling, cancel steps, run `finally`. */
  signal: AbortSignal;
  /** Aborted by the second: cut `finally` short too. */
  hardSignal: AbortSignal;
  received(): 'SIGINT' | 'SIGTERM' | undefined;
  dispose(): void;
}

/** First signal: graceful stop. Second: abort finally. Third: exit at once (the user means it). */
export function installInterrupts(onFirst: (sig: 'SIGINT' | 'SIGTERM') => void): Interrupts {
  const soft = new AbortController();
  const hard = new AbortController();
  let first: 'SIGINT' | 'SIGTERM' | undefined;
  let count = 0;
  const handler = (sig: 'SIGINT' | 'SIGTERM') => {
    count += 1;
    if (count === 1) {
      first = sig;
      onFirst(sig);
      soft.abort({ kind: 'cancel', why: 'interrupt' } satisfies CancelReason);
    } else if (count === 2) {
      hard.abort({ kind: 'cancel', why: 'interrupt' } satisfies CancelReason);
    } else {
      process.exit(sig === 'SIGINT' ? 130 : 143);
    }
  };
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: soft.signal,
    hardSignal: hard.signal,
    received: () => first,
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
