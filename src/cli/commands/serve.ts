import { join } from 'node:path';
import { currentProcess, openStore, stateHome } from '../../store/index.js';
import { missingAssets, parseListen, refuseReason, resolveToken, startServer } from '../../serve/index.js';
import type { Io } from '../io.js';
import { packageRoot } from '../package-root.js';
import { UsageError } from '../usage-error.js';

export interface ServeFlags {
  listen: string;
  stateHome?: string;
  tokenFile?: string;
  store?: string;
}

const SWEEP_MS = 5000;

/** `tasker serve`: the dashboard until SIGINT/SIGTERM; 2 when the settings are unsafe or wrong. */
export async function serveCommand(flags: ServeFlags, io: Io, env = process.env): Promise<number> {
  const listen = parseListen(flags.listen);
  if ('error' in listen) throw new UsageError(listen.error);
  const token = resolveToken(flags.tokenFile, env);
  if ('error' in token) throw new UsageError(token.error);
  const refused = refuseReason(listen, token.token);
  if (refused) throw new UsageError(refused);
  const assetsDir = join(packageRoot(), 'dist', 'serve');
  const missing = missingAssets(assetsDir);
  if (missing) {
    io.err(`tasker: serve: ${missing}`);
    return 1;
  }
  const store = await openStore(flags.store ?? env.TASKER_STORE, flags.stateHome ?? stateHome(env));
  let server;
  try {
    server = await startServer({ listen, token: token.token, store, assetsDir });
  } catch (err) {
    await store.close();
    io.err(
      `tasker: serve: cannot listen on ${flags.listen}: ${(err as Error).message}; choose another --listen`,
    );
    return 1;
  }
  io.out(`tasker serve: ${server.url}  (history ${store.label})`);
  if (token.token)
    io.out('  a token is required: open the URL with #token=TOKEN appended, or paste it in the page');
  // Runs whose process died (kill -9, reboot) are marked interrupted, as every history command does.
  // A sweep that fails (the database restarting) is tried again at the next tick.
  const sweep = setInterval(
    () => void store.sweepInterrupted(currentProcess().host).catch(() => undefined),
    SWEEP_MS,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(sweep);
  await server.close();
  await store.close();
  return 0;
}
