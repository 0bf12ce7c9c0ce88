// Bundles the CLI into dist/bundle/ (the `bin`): one entry file plus lazy chunks for each command.
// Measured: `tasker run tasks/hello.yaml` start-up ~270 ms → ~190 ms and `tasker validate` ~200 ms →
// ~135 ms against the per-module tsc output, which Node has to resolve and link file by file.
// dist/src/cli/main.js (plain tsc) keeps working; the library export stays dist/src/index.js.
import { chmodSync, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const outdir = join(root, 'dist/bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { tasker: join(root, 'src/cli/main.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native addons load from node_modules at run time; mvdan-sh (1.5 MB) is required lazily by expr/shell-syntax.ts.
  external: ['better-sqlite3', 'ssh2', 'cpu-features', 'mvdan-sh'],
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // Bundled CommonJS dependencies (yaml, commander) call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __taskerRequire } from 'node:module'; const require = __taskerRequire(import.meta.url);",
  },
});
chmodSync(join(outdir, 'tasker.js'), 0o755);

// The dashboard of `tasker serve`: one script and one stylesheet, served from the package (no CDN).
const pageSrc = join(root, 'src/serve/page');
const pageOut = join(root, 'dist/serve');
rmSync(pageOut, { recursive: true, force: true });
mkdirSync(pageOut, { recursive: true });
await build({
  entryPoints: { app: join(pageSrc, 'main.ts') },
  outdir: pageOut,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
await build({
  entryPoints: { app: join(pageSrc, 'style.css') },
  outdir: pageOut,
  bundle: true,
  minify: true,
  logLevel: 'warning',
});
for (const f of ['index.html', 'favicon.svg']) copyFileSync(join(pageSrc, f), join(pageOut, f));
