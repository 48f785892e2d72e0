/**
 * Replaces a file whole or not at all. The bytes go to a temporary file in the target's folder (a rename is atomic
 * only within one file system), which is flushed to disk before it is renamed over the target: without the flush,
 * a crash soon after the rename can leave an empty or partial file under the final name on ext4, XFS or APFS. The
 * folder is flushed too where the platform allows, so the rename itself survives the crash. A failure at any step
 * removes the temporary file and leaves the target as it was.
 *
 * Files are the user's alone (private-files.ts): 0600 unless the caller says otherwise, set on the open file, so an
 * umask that would take bits off it changes nothing.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { PRIVATE_FILE_MODE } from './private-files'

export interface AtomicWriteOptions {
  /** The file's mode on POSIX systems; 0600 by default. */
  readonly mode?: number
  /**
   * False skips the flushes to disk, for a file that only says how things stand now and is rewritten often (a
   * crash makes it stale anyway): still whole or absent for a reader, but not guaranteed to survive a crash.
   */
  readonly durable?: boolean
}

const hasModes = process.platform !== 'win32'

/** Beside the target, so the rename stays within one file system; random, so two writers never share one. */
const temporaryFor = (file: string) => `${file}.${randomBytes(6).toString('hex')}.tmp`

/**
 * Flushes the folder's entry for the renamed file. Best effort: Windows cannot open a folder for this, and some
 * file systems refuse to flush one (EINVAL); the file itself is complete under its final name either way.
 */
function syncFolder(file: string): void {
  if (!hasModes) return
  try {
    const fd = openSync(dirname(file), 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // See above: what is lost is the rename's durability, never the file's content.
  }
}

async function syncFolderAsync(file: string): Promise<void> {
  if (!hasModes) return
  try {
    const folder = await open(dirname(file), 'r')
    try {
      await folder.sync()
    } finally {
      await folder.close()
    }
  } catch {
    // As in syncFolder.
  }
}

/** Closes without letting a second error hide the first. */
const closeQuietly = (fd: number) => {
  try {
    closeSync(fd)
  } catch {
    // The write already failed; that error is the one to report.
  }
}

/** Writes `data` to `file` whole: a reader sees the old file or the new one, never part of either. */
export function writeFileAtomicSync(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): void {
  const mode = options.mode ?? PRIVATE_FILE_MODE
  const durable = options.durable ?? true
  const temporary = temporaryFor(file)
  let fd: number | undefined = openSync(temporary, 'wx', mode)
  try {
    if (hasModes) fchmodSync(fd, mode)
    const bytes = typeof data === 'string' ? Buffer.from(data) : data
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at)
    if (durable) fsyncSync(fd)
    closeSync(fd)
    fd = undefined
    renameSync(temporary, file)
  } catch (error) {
    if (fd !== undefined) closeQuietly(fd)
    rmSync(temporary, { force: true })
    throw error
  }
  if (durable) syncFolder(file)
}

/** Appends one chunk to the file being written; resolves when the chunk is written. */
export type AppendChunk = (chunk: Uint8Array) => Promise<void>

/**
 * Writes `file` whole from what `write` appends, for output too large to hold in memory. If `write` rejects, the
 * target is left as it was and the rejection is passed on.
 */
export async function writeFileAtomic(
  file: string,
  write: (append: AppendChunk) => Promise<void>,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const mode = options.mode ?? PRIVATE_FILE_MODE
  const temporary = temporaryFor(file)
  const handle = await open(temporary, 'wx', mode)
  let isOpen = true
  try {
    if (hasModes) await handle.chmod(mode)
    await write(async (chunk) => {
      for (let at = 0; at < chunk.length;)
        at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten
    })
    await handle.sync()
    isOpen = false
    await handle.close()
    await rename(temporary, file)
  } catch (error) {
    if (isOpen) await handle.close().catch(() => undefined)
    await rm(temporary, { force: true })
    throw error
  }
  await syncFolderAsync(file)
}
