// Lint guards the shape of the code base, not its style (Prettier owns that): promises are awaited,
// workflows stay deterministic, and imports point one way down the layers (docs/architecture.md):
//   api, workers, tooling, bench, test  (top)
//   workflows -> domain, activities as types only
//   web (pages) -> platform -> domain; api hands it a client of the HTTP API
//   api, web -> contract (the HTTP answers' schemas and problem codes) -> domain
//   activities -> prisma -> platform -> domain  (bottom)
// Import cycles, type-only ones included, fail `npm run lint` through madge (`npm run lint:cycles`,
// .madgerc): import-x's no-cycle rule skips type-only imports, and that is how cycles crept in here.
import { builtinModules } from 'node:module';
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const TOP_LEVEL = [
  'domain',
  'contract',
  'platform',
  'web',
  'prisma',
  'activities',
  'workflows',
  'workers',
  'api',
  'tooling',
  'bench',
  'test',
];

/** An import-pattern group banning relative imports that reach the named top-level folders. */
function layerBan(folders, message, extra = {}) {
  return { regex: `^(\\.\\./)+(${folders.join('|')})(/|$)`, message, ...extra };
}

/** What each layer may not import: everything above it. */
const LAYERS = [
  { folder: 'domain', banned: TOP_LEVEL.filter((f) => f !== 'domain') },
  { folder: 'platform', banned: TOP_LEVEL.filter((f) => !['domain', 'platform'].includes(f)) },
  // The HTTP contract both sides of it read: the API declares its routes with these schemas, the
  // pages parse the API's answers with them.
  { folder: 'contract', banned: TOP_LEVEL.filter((f) => !['domain', 'contract'].includes(f)) },
  // Pages are built on the public HTTP API only (an in-process client of it, handed in by api/):
  // no repository, activity or workflow is within their reach.
  { folder: 'web', banned: TOP_LEVEL.filter((f) => !['domain', 'contract', 'platform', 'web'].includes(f)) },
  { folder: 'prisma', banned: ['contract', 'activities', 'workflows', 'workers', 'api', 'tooling', 'bench', 'test'] },
  { folder: 'activities', banned: ['contract', 'workflows', 'workers', 'api', 'tooling', 'bench', 'test'] },
  {
    folder: 'workflows',
    banned: ['contract', 'platform', 'prisma', 'workers', 'api', 'tooling', 'bench', 'test'],
  },
  { folder: 'api', banned: ['activities', 'workers', 'tooling', 'bench', 'test'] },
  { folder: 'workers', banned: ['contract', 'api', 'tooling', 'bench', 'test'] },
  { folder: 'tooling', banned: ['bench', 'test'] },
  { folder: 'bench', banned: ['test'] },
];

const layerRules = LAYERS.map(({ folder, banned }) => ({
  files: [`${folder}/**/*.ts`, `${folder}/**/*.tsx`],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          layerBan(
            banned,
            `${folder}/ may not import ${banned.join(', ')}: imports point down the layers (docs/architecture.md).`,
          ),
          ...(folder === 'workflows'
            ? [
                layerBan(
                  ['activities'],
                  'Workflows import activities as types only (`import type`): the sandbox must not load Node code.',
                  {
                    allowTypeImports: true,
                  },
                ),
              ]
            : []),
        ],
        ...(folder === 'workflows'
          ? {
              paths: builtinModules
                .flatMap((m) => [m, `node:${m}`])
                .map((name) => ({
                  name,
                  message: 'Workflow code is deterministic and runs in a sandbox: no Node built-ins.',
                })),
            }
          : {}),
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      '.tools/**',
      '.data/**',
      'prisma/generated/**',
      'coverage/**',
      'bench/tmp/**',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layerRules,
  {
    // The environment is read in one place per kind of process, through zod (platform/env.ts):
    // a stray `process.env.X ?? 'default'` is a second default that can disagree with the schema's.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: [
      'api/config.ts',
      'workers/config.ts',
      'tooling/stack-env.ts',
      'bench/bench-env.ts',
      'prisma/prisma.config.ts',
      // OpenTelemetry's own OTEL_* variables, which its SDK reads itself.
      'platform/tracing.ts',
      // Tests hand their processes and harnesses environments of their own.
      'test/**',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message:
            'Read the environment through its zod schema: api/config.ts, workers/config.ts, tooling/stack-env.ts or bench/bench-env.ts.',
        },
      ],
    },
  },
  {
    // Tests may hold `any` where a response body's shape is the thing under test.
    files: ['test/**/*.ts', 'test/**/*.tsx'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  { files: ['**/*.mjs'], languageOptions: { globals: { console: 'readonly', process: 'readonly' } } },
  {
    // The pages' client script: plain JavaScript that runs in the browser, served as is.
    files: ['web/assets/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: { document: 'readonly', window: 'readonly', fetch: 'readonly', setTimeout: 'readonly' },
    },
  },
  prettier,
);
