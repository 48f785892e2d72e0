/**
 * Images met by a real import are kept in the data directory and served back by the API: a Claude Code session
 * with a pasted screenshot, imported into a real repository, read back through the dispatcher.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeDispatcher } from '../api/handlers'
import { importSources } from '../import/import-engine'
import { claudeCodeAdapter } from '../import/sources/claude-code'
import {
  jsonl,
  SESSION,
  tempProject,
  userLine,
  type TempProject,
} from '../import/sources/claude-code/test-session'
import { useScratch } from '../repository/test-support/scratch'
import { imageStore } from './image-store'
import { ONE_PIXEL_PNG, ONE_PIXEL_PNG_BASE64 } from './test-support/images'

const scratch = useScratch()
let project: TempProject
beforeEach(() => {
  project = tempProject()
})
afterEach(() => project.remove())

const pasted = (data: string, mediaType = 'image/png') => ({
  type: 'image',
  source: { type: 'base64', media_type: mediaType, data },
})

describe('images in an import', () => {
  it('are kept by hash, referenced from the message, and served as a data URL', async () => {
    const dataDir = scratch.dir()
    const repository = scratch.open({ dataDir })
    const images = imageStore(dataDir)
    project.write(
      `${SESSION}.jsonl`,
      jsonl([userLine('u1', null, [{ type: 'text', text: 'What is this?' }, pasted(ONE_PIXEL_PNG_BASE64)])]),
    )
    await importSources(repository, [{ path: join(project.root, 'projects'), adapter: claudeCodeAdapter }], {
      images,
    })

    const found = await repository.getConversation(`claude-code:${SESSION}`)
    const message = found.ok ? found.value?.messages.items[0] : undefined
    const reference = (message?.content as { type: string; sha256?: string }[])[1]
    expect(reference).toMatchObject({ type: 'image', omitted: true, mediaType: 'image/png' })
    expect(reference?.sha256).toMatch(/^[0-9a-f]{64}$/)
    // The base64 reached neither the searchable text nor the stored content.
    expect(JSON.stringify(message)).not.toContain(ONE_PIXEL_PNG_BASE64.slice(0, 40))
    expect(existsSync(join(dataDir, 'images', reference!.sha256!.slice(0, 2), reference!.sha256!))).toBe(true)

    const dispatch = makeDispatcher(repository, () => undefined, { images })
    expect(await dispatch('image', { sha256: reference?.sha256 })).toEqual({
      ok: true,
      value: { mediaType: 'image/png', dataUrl: `data:image/png;base64,${ONE_PIXEL_PNG.toString('base64')}` },
    })
    // Bad input: a path instead of a hash, and a hash of nothing kept.
    expect(await dispatch('image', { sha256: '../../device.json' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENTS' },
    })
    expect(await dispatch('image', { sha256: 'f'.repeat(64) })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })
  })

  it('keeps only a reference for what is not a raster image (bad input: an SVG pasted as an image)', async () => {
    const dataDir = scratch.dir()
    const repository = scratch.open({ dataDir })
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')
    project.write(`${SESSION}.jsonl`, jsonl([userLine('u1', null, [pasted(svg, 'image/svg+xml')])]))
    await importSources(repository, [{ path: join(project.root, 'projects'), adapter: claudeCodeAdapter }], {
      images: imageStore(dataDir),
    })
    const found = await repository.getConversation(`claude-code:${SESSION}`)
    const content = found.ok ? (found.value?.messages.items[0]?.content as unknown[]) : []
    expect(content[0]).toEqual({ type: 'image', omitted: true, mediaType: 'image/svg+xml', bytes: 41 })
    expect(existsSync(join(dataDir, 'images'))).toBe(false)
  })
})
