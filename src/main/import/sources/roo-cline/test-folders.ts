/** Temporary task folders for the adapter tests: copies of the real samples, or files written by the test. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { samplesDir } from '../../test-support/samples'
import {
  conversationsOf,
  type ImportedConversation,
  type SourceAdapter,
  type SourceUnit,
} from '../../source-adapter'

export const MAIN_TASK = 'bc93a6f7-cd2e-4686-a832-46e3cd14d338'
export const SUBTASK = '8c06d62c-1ee2-4c3a-991e-c9483e90c8aa'

/** Writes each file (objects as JSON, strings and bytes as they are) into `<root>/tasks/<taskId>/`. */
export function writeTask(root: string, taskId: string, files: Record<string, unknown>): string {
  const dir = join(root, 'tasks', taskId)
  mkdirSync(dir, { recursive: true })
  for (const [name, body] of Object.entries(files)) {
    const data = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body)
    writeFileSync(join(dir, name), data)
  }
  return dir
}

/** Copies sample files by content: the samples are read-only, and a test may need to change its copy. */
export function copySampleTask(root: string, taskId: string, names: readonly string[]): string {
  const from = samplesDir('roo-code', 'tasks', taskId)
  return writeTask(root, taskId, Object.fromEntries(names.map((n) => [n, readFileSync(join(from, n))])))
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = []
  for await (const item of items) all.push(item)
  return all
}

/** The one unit under `path` and the one conversation read from it. */
export async function readOnly(adapter: SourceAdapter, path: string): Promise<ImportedConversation> {
  const units: SourceUnit[] = await collect(adapter.findUnits(path))
  if (units.length !== 1) throw new Error(`expected one unit under ${path}, found ${units.length}`)
  const read = conversationsOf(await adapter.readUnit(units[0] as SourceUnit))
  if (read.length !== 1) throw new Error(`expected one conversation, read ${read.length}`)
  return read[0] as ImportedConversation
}

export const countBy = <T>(items: readonly T[], key: (item: T) => string): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1
  return counts
}
