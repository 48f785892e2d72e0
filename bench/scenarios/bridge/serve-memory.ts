/**
 * The memory of what a user runs: `chronicle serve --no-watch` on a data directory holding the bridge scenario's
 * import (about 100,000 messages at size small) written to SQL with no store running, as `chronicle import` leaves
 * it. Measured twice on one copy (serve-process-memory.ts): the first serve, which turns the whole import into
 * events, and a second one started on the caught-up library. The bridge scenario measures the first.
 * Usage: taskset -c 1 node --import tsx bench/scenarios/bridge/serve-memory.ts [--library DIR] [--snapshot DIR]
 *   --library: the imported library an earlier run kept (its DIR/imported), instead of a new import.
 *   --snapshot: write a heap snapshot of each serve after its GC into DIR.
 */
import { cpSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_SEED } from '../../cli-args'
import { buildVocabularies } from '../../corpus/vocabulary'
import { createTempDir } from '../../lib/temp-dir'
import { SIZES } from '../scenario'
import { importedLibrary } from './cold-bridge'
import { measureServe } from './serve-process-memory'

const log = (line: string) => process.stderr.write(`${line}\n`)
const print = (line: string) => process.stdout.write(`${line}\n`)

const { values } = parseArgs({ options: { library: { type: 'string' }, snapshot: { type: 'string' } } })
// Kept: the import takes a minute, and a later run can start from it (--library).
const dir = createTempDir('serve-memory', true)
try {
  const library =
    values.library ??
    (await importedLibrary(
      {
        size: 'small',
        conversations: SIZES.small,
        seed: DEFAULT_SEED,
        keep: true,
        cpuProfileDir: null,
        vocab: buildVocabularies(),
        log,
      },
      dir.path,
    ))
  const dataDir = join(dir.path, 'serve')
  rmSync(dataDir, { recursive: true, force: true })
  cpSync(library, dataDir, { recursive: true })
  await measureServe(dataDir, 'first serve', print, values.snapshot)
  await measureServe(dataDir, 'second serve', print, values.snapshot)
  rmSync(dataDir, { recursive: true, force: true })
} finally {
  log(`serve-memory: ${dir.dispose()} (the import is under imported/)`)
}
