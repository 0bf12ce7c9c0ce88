export { startServer, buildApp, type RunningServer, type ServeConfig } from './server.js';
export {
  DEFAULT_LISTEN,
  isLoopback,
  parseListen,
  refuseReason,
  resolveToken,
  type Listen,
} from './options.js';
export { missingAssets } from './assets.js';
