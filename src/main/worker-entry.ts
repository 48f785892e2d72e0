/**
 * Where a worker thread's entry module is. A build ships it as .js beside the module that starts it; under tsx
 * (tests, the CLI, the bench) it is TypeScript, and a worker does not inherit tsx's loader, so a one-line bootstrap
 * registers it first.
 */
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

export interface WorkerEntry {
  readonly source: string | URL
  readonly eval: boolean
}

/** `name` is the entry's file name without extension, beside the module whose `import.meta.url` is `from`. */
export function workerEntry(from: string, name: string): WorkerEntry {
  if (!from.endsWith('.ts')) return { source: new URL(`./${name}.js`, from), eval: false }
  // tsx's ES module API (require.resolve finds its CommonJS twin, whose register() cannot find its loader).
  const tsx = pathToFileURL(
    createRequire(from)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href
  const entry = new URL(`./${name}.ts`, from).href
  return {
    source: `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}) })`,
    eval: true,
  }
}
