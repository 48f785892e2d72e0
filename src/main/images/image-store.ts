/**
 * Images from conversations, kept as files named by their SHA-256 in `images/` in the data directory, so the same
 * screenshot pasted into ten tasks is stored once and the repository holds only a reference. Only raster images
 * whose type their first bytes prove are served back: never SVG or anything a browser could run.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomicSync } from '../atomic-write'
import { ensurePrivateDir } from '../private-files'

/** Larger images stay a size-only reference: a 25 MiB paste is a mistake more often than a picture. */
export const MAX_IMAGE_BYTES = 25 * 1024 * 1024

const SHA256 = /^[0-9a-f]{64}$/

export interface StoredImage {
  readonly bytes: Buffer
  readonly mediaType: string
}

export interface ImageStore {
  /** Keeps the image and returns its SHA-256; null when it is too large or not a raster image. */
  put(bytes: Buffer): string | null
  read(sha256: string): StoredImage | null
  /** Whether an image of that name is kept, without reading it. */
  has(sha256: string): boolean
}

/** The media type the first bytes prove, for the raster formats the assistants carry. */
export function sniffImageType(bytes: Uint8Array): string | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to))
  if (bytes[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png'
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (ascii(0, 4) === 'GIF8') return 'image/gif'
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp'
  if (ascii(4, 8) === 'ftyp' && ['avif', 'avis'].includes(ascii(8, 12))) return 'image/avif'
  if (ascii(0, 2) === 'BM') return 'image/bmp'
  return null
}

export function imageStore(dataDir: string): ImageStore {
  const root = join(dataDir, 'images')
  const pathOf = (sha256: string) => join(root, sha256.slice(0, 2), sha256)
  return {
    put(bytes) {
      if (bytes.length === 0 || bytes.length > MAX_IMAGE_BYTES || sniffImageType(bytes) === null) return null
      const sha256 = createHash('sha256').update(bytes).digest('hex')
      const path = pathOf(sha256)
      if (existsSync(path)) return sha256
      ensurePrivateDir(join(root, sha256.slice(0, 2)))
      // Whole or not at all: a reader never sees half an image under the final name.
      writeFileAtomicSync(path, bytes)
      return sha256
    },
    has(sha256) {
      return SHA256.test(sha256) && existsSync(pathOf(sha256))
    },
    read(sha256) {
      if (!SHA256.test(sha256)) return null
      let bytes: Buffer
      try {
        bytes = readFileSync(pathOf(sha256))
      } catch {
        return null
      }
      const mediaType = sniffImageType(bytes)
      return mediaType ? { bytes, mediaType } : null
    },
  }
}
