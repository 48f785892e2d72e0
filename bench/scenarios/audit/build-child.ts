/**
 * Builds the export child as the app ships the exporter: bundled to plain JavaScript with its worker entry beside
 * it (electron-vite builds main.js and export-worker.js the same way), dependencies left to node_modules. Run under
 * tsx instead, every thread also carries the TypeScript loader and its compiled modules: tens of MiB more.
 */
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))
/** Inside the repository, so the bundles' bare imports resolve from its node_modules. */
const OUT_DIR = here('../../../out/bench-audit')

/** Returns the built child's path. */
export async function buildExportChild(): Promise<string> {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  } as const
  await build({ ...common, entryPoints: [here('./export-child.ts')], outfile: `${OUT_DIR}/export-child.mjs` })
  await build({
    ...common,
    entryPoints: [here('../../../src/main/audit/export-worker.ts')],
    // export-pool.ts loads it by this name from beside the bundle that imports it.
    outfile: `${OUT_DIR}/export-worker.js`,
  })
  return `${OUT_DIR}/export-child.mjs`
}
