export { startServer } from './server.js';
export { parseListen, refuseReason, resolveToken } from './options.js';
export { missingAssets } from './assets.js';
