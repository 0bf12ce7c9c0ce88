import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, Hono } from 'hono';

const FILES: Readonly<Record<string, string>> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/** Where the built page is missing: `npm run build` makes it (scripts/bundle.mjs). */
export function missingAssets(dir: string): string | undefined {
  const need = ['index.html', ...Object.keys(FILES)].filter((f) => !existsSync(join(dir, f)));
  return need.length ? `${dir}: missing ${need.join(', ')}; run \`npm run build\`` : undefined;
}

/**
 * The page, read once from the package (bundled by esbuild: no CDN, works offline). Every page path
 * gets index.html; the script routes on the client.
 */
export function registerAssets(app: Hono, dir: string): void {
  const index = readFileSync(join(dir, 'index.html'));
  for (const [name, type] of Object.entries(FILES)) {
    const body = readFileSync(join(dir, name));
    app.get(`/${name}`, (c) => c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'no-cache' }));
  }
  const page = (c: Context): Response =>
    c.body(index, 200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
  app.get('/', page);
  app.get('/runs/*', page);
}
