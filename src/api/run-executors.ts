import { join } from 'node:path';
import { createDryExecutor } from '../exec/dry.js';
import { createLocalExecutor } from '../exec/local.js';
import { REGISTRY_FILE } from '../exec/process-registry.js';
import { createExecutorSet } from '../exec/set.js';
import type { SshOptions } from '../exec/ssh/index.js';
import type { Executor } from '../exec/types.js';
import type { Plan } from '../model/plan.js';
import { missingSecrets } from '../run/index.js';
import { planUsesSsh } from './targets.js';

/** The executors of a run: dry, or local plus SSH (ssh2 loaded only when the plan has an ssh target). */
export async function executorsFor(
  plan: Plan,
  options: { dryRun?: boolean; ssh?: SshOptions },
  runDir: string,
) {
  if (options.dryRun) {
    const dry = createDryExecutor();
    return createExecutorSet({ local: dry, ssh: () => dry });
  }
  let ssh: (() => Executor) | undefined;
  if (planUsesSsh(plan)) {
    // Loaded only when a workflow needs it: ssh2 costs start-up time.
    const { createSshExecutor } = await import('../exec/ssh/index.js');
    ssh = () => createSshExecutor(options.ssh);
  }
  return createExecutorSet({ local: createLocalExecutor({ registry: join(runDir, REGISTRY_FILE) }), ssh });
}

/** A dry run goes on without secrets, but says which ones a real run would need. */
export function warnMissingSecrets(
  plan: Plan,
  env: Readonly<Record<string, string | undefined>>,
  warn: ((message: string) => void) | undefined,
): void {
  const missing = missingSecrets(plan, env);
  if (missing.length === 0) return;
  const s = missing.length > 1 ? 's' : '';
  warn?.(
    `secret${s} ${missing.join(', ')} not set: the dry run shows ${missing.length > 1 ? 'them' : 'it'} as unknown; a real run needs ${missing.length > 1 ? 'them' : 'it'} (export, or --secret-file)`,
  );
}
