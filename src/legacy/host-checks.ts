import type { ExecType } from './exec-types.js';

/**
 * What TASKER's host pre-validation (S14 steps 2-5) checks for a task file: each exec type used
 * with a host (never `local`; tasker's own `ssh` is left to `tasker ping`), and each host with the
 * types it is used with. Pure data; cli/ runs the checks.
 */
export interface HostChecks {
  types: ExecType[];
  hosts: { host: string; types: string[] }[];
  /** `platforms.linux.default_validation_timeout`. */
  validationTimeoutS?: number;
}

/** Collects the (host, exec type) pairs of a translation as commands are built. */
export class HostUses {
  private readonly uses = new Map<string, Set<string>>();

  add(host: string, type: string): void {
    // A name still holding @NAME@ (allowed by --skip-unresolved-host-validation) is resolved at run time.
    if (host === '' || host.includes('@') || type === 'local' || type === 'ssh') return;
    const types = this.uses.get(host) ?? new Set<string>();
    types.add(type);
    this.uses.set(host, types);
  }

  toChecks(known: ReadonlyMap<string, ExecType>, validationTimeoutS?: number): HostChecks {
    const names = new Set([...this.uses.values()].flatMap((s) => [...s]));
    const checks: HostChecks = {
      types: [...names].flatMap((n) => (known.has(n) ? [known.get(n)!] : [])),
      hosts: [...this.uses].map(([host, types]) => ({ host, types: [...types] })),
    };
    if (validationTimeoutS !== undefined) checks.validationTimeoutS = validationTimeoutS;
    return checks;
  }
}
