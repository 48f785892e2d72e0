/**
 * Which images an upload round packs: with a real repository and a real images/ folder, those the messages refer
 * to (wherever in their content), once each, not those stored already, not a file that is not the image of its
 * name, and no more bytes than the round's budget.
 */
import { createHmac } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { imageStore } from '../images/image-store'
import { useScratch } from '../repository/test-support/scratch'
import { imagesToPack } from './image-items'
import { imagesReferencedBy, recordImageLocations } from './image-locations'
import { pngOf } from './test-support/tiny-png'

const scratch = useScratch()
/** A keyed address, as the library's client makes (blobs/blob-address.ts), with a test key. */
const address = (bytes: Uint8Array) => createHmac('sha256', 'test key').update(bytes).digest('hex')
const reference = (sha256: string) => ({
  type: 'image',
  omitted: true,
  mediaType: 'image/png',
  bytes: 1,
  sha256,
})
const contentOf = (...blocks: unknown[]) => ({ content: JSON.stringify(blocks) })

describe('the images an upload round packs', () => {
  it('finds references inside tool results and ignores what is not a kept image', () => {
    const sha = 'a'.repeat(64)
    const nested = [{ type: 'tool_result', content: [reference(sha), { type: 'image', sha256: 'not-hex' }] }]
    expect(imagesReferencedBy(JSON.stringify(nested))).toEqual([sha])
    expect(imagesReferencedBy(null)).toEqual([])
    expect(imagesReferencedBy('{"sha256": broken')).toEqual([])
  })

  it('packs each image once, skips stored and mismatched ones, and cuts the round at its budget', async () => {
    const repository = scratch.open()
    const dataDir = dirname(repository.file)
    const store = imageStore(dataDir)
    const [red, green, blue, grey] = [
      pngOf([255, 0, 0], 32),
      pngOf([0, 255, 0], 32),
      pngOf([0, 0, 255], 32),
      pngOf([9, 9, 9], 32),
    ]
    const [r, g, b, k] = [red, green, blue, grey].map((png) => store.put(png) ?? '')
    // Stored on the worker already (another machine announced it).
    await recordImageLocations(repository.db, 'f'.repeat(64), [
      { sha256: g ?? '', bodyAddress: 'e'.repeat(64), offset: 0, length: 1 },
    ])
    // A file changed on disk: no longer the image its name says.
    writeFileSync(join(dataDir, 'images', (k ?? '').slice(0, 2), k ?? ''), red)

    const messages = [
      contentOf(reference(r ?? ''), reference(g ?? '')),
      contentOf({ type: 'tool_result', content: [reference(r ?? ''), reference(k ?? '')] }),
      contentOf(reference(b ?? '')),
    ]
    const problems: string[] = []
    const all = await imagesToPack({
      db: repository.db,
      store,
      address,
      messages,
      onProblem: (line) => void problems.push(line),
    })
    expect(all.messages).toBe(3)
    expect(all.images.map((i) => i.sha256)).toEqual([r, b])
    expect(all.images.map((i) => i.address)).toEqual([address(red), address(blue)])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain((k ?? '').slice(0, 12))

    // A budget of one image: the round takes the messages up to the one whose image would go over.
    const cut = await imagesToPack({ db: repository.db, store, address, messages, budgetBytes: red.length })
    expect(cut.messages).toBe(2)
    expect(cut.images.map((i) => i.sha256)).toEqual([r])
  })
})
