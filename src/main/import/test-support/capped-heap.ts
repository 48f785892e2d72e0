/**
 * For the large-file tests: a big JSON array written without holding it, and a script run in a child process whose
 * heap is capped. A cap proves a reader streams; sampling heapUsed in-process is at the mercy of the collector.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { closeSync, openSync, statSync, writeSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** Writes the elements one by one, so the test itself never holds the whole file either; returns its size. */
export function writeJsonArray(path: string, elements: Iterable<unknown>): number {
  const fd = openSync(path, 'w')
  try {
    let separator = '['
    for (const element of elements) {
      writeSync(fd, `${separator}${JSON.stringify(element)}`)
      separator = ',\n'
    }
    writeSync(fd, separator === '[' ? '[]' : ']')
  } finally {
    closeSync(fd)
  }
  return statSync(path).size
}

/** A module next to the test (`name` relative to its `import.meta.url`), as a string literal for a script. */
export const moduleLiteral = (name: string, base: string): string =>
  JSON.stringify(fileURLToPath(new URL(name, base)))

/** Runs `script` as an ES module (TypeScript imports allowed) with the heap capped at `heapMb`. */
export const runWithHeapCap = (
  script: string,
  heapMb: number,
  env: Record<string, string>,
  timeoutMs: number,
): SpawnSyncReturns<string> =>
  spawnSync(
    process.execPath,
    [`--max-old-space-size=${heapMb}`, '--import', 'tsx', '--input-type=module', '-e', script],
    { env: { ...process.env, ...env }, encoding: 'utf8', timeout: timeoutMs },
  )
