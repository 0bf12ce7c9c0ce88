// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Layering: each folder may import only the folders listed (model is open to all). */
const layers = {
  model: [],
  expr: ['model'],
  parse: ['model', 'expr'],
  legacy: ['model', 'expr', 'parse'],
  plan: ['model', 'expr'],
  exec: ['model'],
  output: ['model'],
  report: ['model', 'expr'],
  run: ['model', 'expr', 'output', 'exec/types'],
  store: ['model'],
  // serve/*.ts: the HTTP side; serve/page/ is the browser bundle (its own rule below).
  serve: ['model', 'store', 'api', 'output'],
};
const all = [
  'model',
  'expr',
  'parse',
  'legacy',
  'plan',
  'exec',
  'output',
  'report',
  'run',
  'store',
  'cli',
  'api',
  'serve',
];

function boundary(folder, allowed, extra = []) {
  const forbidden = all.filter((f) => f !== folder && !allowed.includes(f));
  const patterns = forbidden.flatMap((f) => [`../${f}/*`, `../../${f}/*`, `../${f}/**`, `../../${f}/**`]);
  // A folder allowed one file of another (run/ -> exec/types.ts) may import that file and nothing else
  // there: every other file (index.js, set.js, local.js, ssh/...) is a concrete executor.
  for (const only of allowed.filter((a) => a.includes('/')))
    patterns.push(`!../${only}.js`, `!../../${only}.js`);
  patterns.push(...extra);
  return {
    files: folder === 'serve' ? ['src/serve/*.ts'] : [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: patterns,
              message: `src/${folder} may import only: ${allowed.join(', ') || 'nothing'} (see ARCHITECTURE.md).`,
            },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'reports/**',
      'fixtures/**',
      'coverage/**',
      'eslint.config.js',
      'bench/**/*.mjs',
      'scripts/**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...Object.entries(layers).map(([folder, allowed]) =>
    // The server shares only the pure escape parser with the page.
    boundary(folder, allowed, folder === 'serve' ? ['./page/*', '!./page/ansi.js'] : []),
  ),
  {
    // The page runs in the browser: its own files, the API's JSON types and the step labels, nothing of Node.
    files: ['src/serve/page/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(node:.*|\\.\\./(?!api-types\\.js$|\\.\\./model/labels\\.js$).*)$',
              message:
                'src/serve/page may import only its own files, ../api-types.js and the pure model/labels.js (see ARCHITECTURE.md).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/unbound-method': 'off' },
  },
);
