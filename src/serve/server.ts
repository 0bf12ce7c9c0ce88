import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import type { HistoryStore } from '../store/index.js';
import { registerLiveRoutes } from './api-live.js';
import { registerOutputRoutes } from './api-output.js';
import { registerRunRoutes } from './api-runs.js';
import { registerAssets } from './assets.js';
import type { Listen } from './options.js';
import { bearerAuth, hardening, hostCheck } from './security.js';
import { HistoryWatcher } from './watch.js';

export interface ServeConfig {
  listen: Listen;
  token: string | undefined;
  store: HistoryStore;
  /** The built page (dist/serve). */
  assetsDir: string;
  /** How often the store's change mark is polled. */
  pollMs?: number;
}

export interface RunningServer {
  /** The bound address (port 0 gets a free one). */
  url: string;
  port: number;
  close(): Promise<void>;
}

const COMPRESSED = /^(application\/json|text\/javascript|text\/css|text\/html|image\/svg\+xml)\b/;

function buildApp(config: ServeConfig, watcher: HistoryWatcher): Hono {
  const app = new Hono();
  app.use('*', hardening());
  app.use('*', hostCheck(config.listen, config.token));
  // JSON and the page's own files, gzip when asked: a 500-host run's detail is ~0.5 MiB of JSON.
  // Never the live event streams (text/event-stream), which must reach the page event by event.
  app.use('*', compress({ contentTypeFilter: COMPRESSED }));
  app.use('/api/*', bearerAuth(config.token));
  registerRunRoutes(app, config.store);
  registerOutputRoutes(app, config.store);
  registerLiveRoutes(app, config.store, watcher);
  app.all('/api/*', (c) => c.json({ error: `no API ${c.req.path}; see docs/serve.md` }, 404));
  registerAssets(app, config.assetsDir);
  app.onError((err, c) => c.json({ error: `internal error: ${err.message}` }, 500));
  return app;
}

/** Starts listening; rejects with the OS reason (address in use, not permitted) when it cannot. */
export async function startServer(given: ServeConfig): Promise<RunningServer> {
  const config = { ...given, listen: { ...given.listen } };
  const watcher = new HistoryWatcher(config.store, config.pollMs ?? 100);
  const app = buildApp(config, watcher);
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.listen.port;
  config.listen.port = port;
  const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host;
  return {
    url: `http://${host}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        watcher.close();
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
