export { runPlan } from './run-plan.js';
export { exitCodeFor } from './exit-code.js';
export type { Preset, RunOptions } from './types.js';
export { missingSecrets } from './start.js';
