/**
 * The price table in use: the bundled one, or a LiteLLM price file the user chose, kept as a copy in the data
 * directory (`prices/`) so it survives the original being moved or edited, and read back at every start. The copy
 * is written whole or not at all (atomic-write.ts) and private like every file there (private-files.ts); beside it,
 * `choice.json` says where it came from, when it was chosen and its SHA-256. A copy that no longer reads as a price
 * table (edited by hand) is never fatal: the bundled table is used and the problem is said once.
 */
import { readFileSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fail, ok, type Result } from '../../shared/result'
import { writeFileAtomicSync } from '../atomic-write'
import { ensurePrivateDir } from '../private-files'
import {
  loadBundledPriceBook,
  parsePriceFile,
  type LoadedPriceBook,
  type PriceFileErrorCode,
} from './price-book'

export const PRICES_DIR = 'prices'
const COPY = 'model_prices_and_context_window.json'
const CHOICE = 'choice.json'
/** LiteLLM's whole list is under 2 MB; anything far larger is not a price file. */
const MAX_BYTES = 64 * 1024 * 1024

export type PriceChoiceErrorCode = PriceFileErrorCode | 'PRICE_FILE_UNREADABLE'

interface ChoiceRecord {
  /** The file the user named, as a full path. */
  readonly from: string
  /** The day the chosen file was last changed (UTC): the best date a LiteLLM file, which has none, can give. */
  readonly date: string
  readonly chosenAt: number
  readonly sha256: string
}

export interface PriceChoice {
  readonly book: LoadedPriceBook
  /** Why a chosen file was set aside for the bundled table, or null. */
  readonly problem: string | null
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const pathsOf = (dataDir: string) => ({
  dir: join(dataDir, PRICES_DIR),
  copy: join(dataDir, PRICES_DIR, COPY),
  choice: join(dataDir, PRICES_DIR, CHOICE),
})

function readChoiceRecord(file: string): ChoiceRecord | null {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<ChoiceRecord>
    if (typeof value.from !== 'string' || typeof value.date !== 'string' || typeof value.sha256 !== 'string')
      return null
    return { from: value.from, date: value.date, sha256: value.sha256, chosenAt: Number(value.chosenAt) || 0 }
  } catch {
    return null
  }
}

/** The price book this data directory uses: the chosen file's, else the bundled one. Never throws. */
export function loadPriceChoice(dataDir: string): PriceChoice {
  const paths = pathsOf(dataDir)
  const bundled = (problem: string | null): PriceChoice => ({ book: loadBundledPriceBook(), problem })
  try {
    const text = readFileSync(paths.copy, 'utf8')
    const record = readChoiceRecord(paths.choice)
    const unrecorded = () => ({ source: paths.copy, date: day(statSync(paths.copy).mtimeMs) })
    const book = parsePriceFile(text, record ? { source: record.from, date: record.date } : unrecorded())
    if (!book.ok)
      return bundled(
        `the chosen price file ${paths.copy} is not a price table (${book.error.message}); using the bundled prices`,
      )
    // A record of another copy (a stop between the two writes of a change) says nothing of this one.
    if (record && record.sha256 !== book.value.sha256) {
      const again = parsePriceFile(text, unrecorded())
      if (again.ok) return { book: again.value, problem: null }
    }
    return { book: book.value, problem: null }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return bundled(null)
    return bundled(
      `the chosen price file ${paths.copy} cannot be read (${String(error)}); using the bundled prices`,
    )
  }
}

/** Reads and checks the file at `path` without keeping it: what choosing it would give. */
export function readPriceFile(
  path: string,
): Result<{ book: LoadedPriceBook; text: string }, PriceChoiceErrorCode> {
  const full = resolve(path)
  let text: string
  let date: string
  try {
    const stat = statSync(full)
    if (!stat.isFile()) return fail('PRICE_FILE_UNREADABLE', `${full} is not a file`)
    if (stat.size > MAX_BYTES)
      return fail(
        'PRICE_FILE_UNREADABLE',
        `${full} is ${Math.round(stat.size / 1048576)} MB, too large for a price table`,
      )
    text = readFileSync(full, 'utf8')
    date = day(stat.mtimeMs)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error)
    return fail('PRICE_FILE_UNREADABLE', `${full} cannot be read (${code})`)
  }
  const book = parsePriceFile(text, { source: full, date })
  if (!book.ok) return fail(book.error.code, `${full}: ${book.error.message}`)
  return ok({ book: book.value, text })
}

/** Keeps a checked price file as this data directory's table. */
export function savePriceChoice(
  dataDir: string,
  chosen: { book: LoadedPriceBook; text: string },
  now = Date.now(),
): void {
  const paths = pathsOf(dataDir)
  ensurePrivateDir(paths.dir)
  writeFileAtomicSync(paths.copy, chosen.text)
  const record: ChoiceRecord = {
    from: chosen.book.source,
    date: chosen.book.date,
    chosenAt: now,
    sha256: chosen.book.sha256,
  }
  writeFileAtomicSync(paths.choice, `${JSON.stringify(record, null, 2)}\n`)
}

/** Back to the bundled table: the chosen file's copy is removed. */
export function clearPriceChoice(dataDir: string): void {
  const paths = pathsOf(dataDir)
  // The copy first: without it the record is ignored, so a stop in between still means "bundled".
  rmSync(paths.copy, { force: true })
  rmSync(paths.choice, { force: true })
}

/** What is kept now, to put back if what follows a change fails. */
export function snapshotPriceChoice(dataDir: string): () => void {
  const paths = pathsOf(dataDir)
  const read = (file: string) => {
    try {
      return readFileSync(file)
    } catch {
      return null
    }
  }
  const copy = read(paths.copy)
  const choice = read(paths.choice)
  return () => {
    if (copy === null) return clearPriceChoice(dataDir)
    ensurePrivateDir(paths.dir)
    writeFileAtomicSync(paths.copy, copy)
    if (choice !== null) writeFileAtomicSync(paths.choice, choice)
    else rmSync(paths.choice, { force: true })
  }
}
