/**
 * Opens a unit's conversations.json, as a plain file or inside an export zip, as a stream of bytes. Every way the
 * file can be missing or unreadable becomes a UnitReadError that names it.
 */
import { constants } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { UnitReadError } from '../../source-adapter'
import { findZipEntries, openZipEntry, ZipError } from './zip-entry'
import { reasonFor } from '../../file-errors'

export const CONVERSATIONS_FILE = 'conversations.json'

export interface ExportSource {
  readonly bytes: AsyncIterable<Uint8Array>
  readonly mtimeMs: number
  readonly close: () => Promise<void>
}

export const isZipPath = (path: string): boolean => path.toLowerCase().endsWith('.zip')

/** The shallowest conversations.json in the archive; macOS adds `__MACOSX/._conversations.json` shadows. */
async function zipConversations(handle: FileHandle, size: number, path: string) {
  const entries = await findZipEntries(handle, size, (name) => {
    const parts = name.split(/[\\/]/)
    return parts.at(-1)?.toLowerCase() === CONVERSATIONS_FILE && parts[0] !== '__MACOSX'
  })
  const entry = entries.sort((a, b) => a.name.split('/').length - b.name.split('/').length)[0]
  if (!entry) throw new UnitReadError(path, `holds no ${CONVERSATIONS_FILE} (not a ChatGPT export)`)
  return openZipEntry(handle, entry)
}

export async function openExport(path: string): Promise<ExportSource> {
  let handle: FileHandle
  try {
    handle = await open(path, constants.O_RDONLY)
  } catch (error) {
    throw new UnitReadError(path, reasonFor(error))
  }
  const close = () => handle.close()
  try {
    const info = await handle.stat()
    if (info.isDirectory()) throw new UnitReadError(path, 'is a directory, not a file')
    if (!info.isFile()) throw new UnitReadError(path, 'is not a regular file')
    const bytes = isZipPath(path)
      ? await zipConversations(handle, info.size, path)
      : handle.createReadStream({ autoClose: false, highWaterMark: 1024 * 1024 })
    return { bytes, mtimeMs: info.mtimeMs, close }
  } catch (error) {
    await close()
    if (error instanceof UnitReadError) throw error
    if (error instanceof ZipError) throw new UnitReadError(path, error.message, error.retryable)
    throw new UnitReadError(path, reasonFor(error))
  }
}
