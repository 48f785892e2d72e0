// The folder is the runtime (see STYLE.md): these rules make a wrong-layer import an error, not a review comment.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'net',
  'url',
  'worker_threads',
]

const layer = (forbidden, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message }] }],
})

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'bench/results/**',
      'test-results/**',
      'playwright-report/**',
      'sync-worker/.wrangler/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/shared/**'],
    languageOptions: { globals: {} },
    rules: layer(
      [
        ...nodeBuiltins,
        'electron',
        'react',
        'react-dom',
        'react/*',
        '**/main/**',
        '**/renderer/**',
        '**/preload/**',
      ],
      'src/shared is pure TypeScript: no Node, Electron, DOM or React, and no imports from other layers.',
    ),
  },
  {
    files: [
      'src/main/**',
      'src/preload/**',
      'bench/**',
      'scripts/**',
      'bin/**',
      'e2e/**',
      'sync-worker/test/**',
      '*.config.*',
    ],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src/main/**'],
    rules: layer(
      ['**/renderer/**', '**/preload/**', 'react', 'react-dom', '@livestore/adapter-web'],
      'src/main runs under Node and Electron main: it never imports renderer or preload code.',
    ),
  },
  {
    // The sync Worker runs in workerd (Cloudflare's runtime): Web APIs, no Node, nothing of the app's layers.
    files: ['sync-worker/src/**'],
    languageOptions: { globals: { ...globals.serviceworker } },
    rules: layer(
      [
        ...nodeBuiltins,
        'electron',
        'react',
        'react-dom',
        'ws',
        'wrangler',
        '**/main/**',
        '**/renderer/**',
        '**/preload/**',
      ],
      'sync-worker/src runs in workerd: Web APIs and @livestore/sync-cf only, no Node or Chronicle app code.',
    ),
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...layer(
        [...nodeBuiltins, 'electron', '**/main/**', '**/preload/**'],
        'src/renderer is the browser: it reaches the main side only through the typed API in src/shared.',
      ),
    },
  },
)
