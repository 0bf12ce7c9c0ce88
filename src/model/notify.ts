import type { PlanNotify } from './plan.js';

/** Whether `notify:` alerts for a run that exits `exitCode`: `failure` = any non-zero code (interrupts included); `success` = 0. */
export function alertMatches(notify: PlanNotify, exitCode: number): boolean {
  if (notify.on.includes('always')) return true;
  return notify.on.includes(exitCode === 0 ? 'success' : 'failure');
}

/** The channels a run that exits `exitCode` would alert on (`command`, `webhook`); empty when none. */
export function alertChannels(notify: PlanNotify | undefined, exitCode: number): ('command' | 'webhook')[] {
  if (!notify || !alertMatches(notify, exitCode)) return [];
  return [...(notify.command ? ['command' as const] : []), ...(notify.webhook ? ['webhook' as const] : [])];
}
