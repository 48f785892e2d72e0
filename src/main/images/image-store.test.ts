import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { imageStore, sniffImageType } from './image-store'
import { ONE_PIXEL_PNG } from './test-support/images'

describe('image store', () => {
  it('keeps an image once under its SHA-256 and reads it back with its type', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'chronicle-images-'))
    const store = imageStore(dataDir)
    const sha = store.put(ONE_PIXEL_PNG)
    expect(sha).toMatch(/^[0-9a-f]{64}$/)
    expect(store.put(Buffer.from(ONE_PIXEL_PNG))).toBe(sha)
    expect(readdirSync(join(dataDir, 'images', sha!.slice(0, 2)))).toEqual([sha])
    expect(store.read(sha!)).toEqual({ bytes: ONE_PIXEL_PNG, mediaType: 'image/png' })
  })

  it('refuses what is not a raster image, and names that are not hashes (bad input)', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'chronicle-images-'))
    const store = imageStore(dataDir)
    expect(
      store.put(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')),
    ).toBeNull()
    expect(store.put(Buffer.alloc(0))).toBeNull()
    writeFileSync(join(dataDir, 'secret'), 'not for the page')
    expect(store.read('../secret')).toBeNull()
    expect(store.read('A'.repeat(64))).toBeNull()
    expect(store.read('0'.repeat(64))).toBeNull()
  })

  it('tells the common raster types from their first bytes', () => {
    expect(sniffImageType(ONE_PIXEL_PNG)).toBe('image/png')
    expect(sniffImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg')
    expect(sniffImageType(Buffer.from('GIF89a'))).toBe('image/gif')
    expect(sniffImageType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp')
    expect(sniffImageType(Buffer.from('%PDF-1.7'))).toBeNull()
  })
})
