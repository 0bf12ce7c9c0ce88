export { stateHome, newRunId, runDirFor } from './paths.js';
