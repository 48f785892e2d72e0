/**
 * The user's choices about sources, kept in `sources.json` in the data directory: folders they added, found
 * folders they removed, and sources they paused. Found folders themselves are not stored (discovery finds them on
 * each start), so an assistant installed later is picked up without the user doing anything.
 */
import { readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomicSync } from '../atomic-write'
import { SOURCE_FORMATS, type SourceFormat } from '../../shared/api/contract'

export const SOURCES_FILE = 'sources.json'

export interface SourceChoices {
  /** Folders or files the user added, with the format they hold. */
  readonly added: readonly { readonly path: string; readonly format: SourceFormat }[]
  /** Found folders the user removed: discovery keeps finding them, and they stay out. */
  readonly removed: readonly string[]
  /** Sources neither watched nor imported until enabled again. */
  readonly paused: readonly string[]
}

export const NO_CHOICES: SourceChoices = { added: [], removed: [], paused: [] }

export interface LoadedChoices {
  readonly choices: SourceChoices
  /** Set when the file was unreadable and was moved aside: the settings view says so. */
  readonly problem: string | null
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []

function parseChoices(text: string): SourceChoices | null {
  const value = JSON.parse(text) as unknown
  if (typeof value !== 'object' || value === null || (value as { version?: unknown }).version !== 1)
    return null
  const stored = value as { added?: unknown; removed?: unknown; paused?: unknown }
  const added = Array.isArray(stored.added)
    ? stored.added.flatMap((entry: unknown) => {
        const { path, format } = (entry ?? {}) as { path?: unknown; format?: unknown }
        return typeof path === 'string' && SOURCE_FORMATS.includes(format as SourceFormat)
          ? [{ path, format: format as SourceFormat }]
          : []
      })
    : []
  return { added, removed: strings(stored.removed), paused: strings(stored.paused) }
}

/**
 * Reads the choices. A file that is not ours to read (corrupt, another version) is moved aside under a new name,
 * never overwritten, and the sources start from what discovery finds.
 */
export function loadSourceChoices(dataDir: string): LoadedChoices {
  const file = join(dataDir, SOURCES_FILE)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { choices: NO_CHOICES, problem: null }
    return {
      choices: NO_CHOICES,
      problem: `${file} could not be read (${String(error)}); sources start from defaults`,
    }
  }
  try {
    const choices = parseChoices(text)
    if (choices) return { choices, problem: null }
  } catch {
    // Not JSON: set aside below like a file of another version.
  }
  const aside = `${file}.unreadable-${Date.now()}`
  renameSync(file, aside)
  return {
    choices: NO_CHOICES,
    problem: `${SOURCES_FILE} was not readable and was kept as ${aside}; sources start from what Chronicle finds`,
  }
}

/** Writes the choices whole, so a crash leaves the old file or the new one. */
export function saveSourceChoices(dataDir: string, choices: SourceChoices): void {
  writeFileAtomicSync(join(dataDir, SOURCES_FILE), `${JSON.stringify({ version: 1, ...choices }, null, 2)}\n`)
}
