import { defineConfig } from 'electron-vite'
import { resolve } from 'node:path'
import { rendererOptions } from './renderer.vite-options.ts'

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          main: resolve(import.meta.dirname, 'src/main/electron/main.ts'),
          // Loaded by the audit export's worker threads from beside main.js (src/main/audit/export-pool.ts).
          'export-worker': resolve(import.meta.dirname, 'src/main/audit/export-worker.ts'),
          // "Did you mean" runs on its own thread and connection (src/main/repository/sqlite/suggestion-thread.ts).
          'suggestion-worker': resolve(
            import.meta.dirname,
            'src/main/repository/sqlite/suggestion-worker.ts',
          ),
        },
      },
      // better-sqlite3 is a native addon: load it from node_modules (or the Electron build of it), never bundle it.
      externalizeDeps: true,
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: resolve(import.meta.dirname, 'src/preload/index.ts'),
        // A sandboxed preload cannot load ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererOptions(),
    build: {
      ...rendererOptions().build,
      rollupOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') },
    },
  },
})
