/**
 * The uploader's one rule that needs no worker: a round that reads the queue while this machine's events are busy
 * (an import not yet bridged) stores and announces nothing, so no v1.BodiesPacked can come before the
 * v1.MessagesAppended of its messages. Real SQLite; the worker is never reached, which the client proves by
 * failing any call.
 */
import { describe, expect, it } from 'vitest'
import type { BlobClient } from '../blobs/blob-client'
import { imageStore } from '../images/image-store'
import { useScratch } from '../repository/test-support/scratch'
import { storeBodiesRound } from './body-uploader'
import { importOn } from './test-support/imported-bodies'

const scratch = useScratch()

describe('body uploader', () => {
  it('stores and announces nothing when the events became busy while it read the queue', async () => {
    const dataDir = scratch.dir()
    const repository = scratch.open({ dataDir })
    await importOn(repository)
    const asked: string[] = []
    const unreachable = new Proxy({} as BlobClient, {
      get: (_target, name) => () => {
        asked.push(String(name))
        throw new Error(`the worker was asked (${String(name)})`)
      },
    })
    const committed: unknown[] = []
    // Quiet when the round starts, busy once it has read the queue (an import began in between).
    const answers = [false, true]
    const round = await storeBodiesRound({
      repository,
      client: unreachable,
      images: imageStore(dataDir),
      deviceId: 'device-a',
      commit: async (events) => void committed.push(...events),
      eventsBusy: async () => answers.shift() ?? true,
    })
    expect(round).toEqual({ located: 0 })
    expect(answers).toEqual([])
    expect(asked).toEqual([])
    expect(committed).toEqual([])
    const queued = await repository.db.selectFrom('bodies_to_store').select('message_id').execute()
    expect(queued).toHaveLength(6)
  })
})
