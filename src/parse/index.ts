export { parseWorkflowText, type ParseOutput } from './parse-text.js';
export { dropConsequences } from './garbled.js';
export { loadWorkflowFile } from './load.js';
export { parseDuration, MAX_DURATION_MS } from './duration.js';
export { parsePolicy } from './policy.js';
export { parseInventoryText, type Inventory } from './inventory.js';
export { suggest } from '../expr/index.js';
export { MAX_FILE_BYTES } from './text.js';
