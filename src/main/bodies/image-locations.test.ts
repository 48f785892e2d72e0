/**
 * Image locations as a pack's references, with a real SQLite file and migration 0017's triggers: a pack an image
 * is located in is not queued for removal when its last body goes, and is once the image's location goes; another
 * library's locations are forgotten; the located images messages here refer to are listed newest conversation
 * first, whether all are asked about or a few.
 */
import { describe, expect, it } from 'vitest'
import { useScratch } from '../repository/test-support/scratch'
import { recordBodyLocations } from './body-locations'
import { imageLocation, recordImageLocations, referencedImageLocations } from './image-locations'
import { forLibrary } from './pack-sweeps'
import { importOn, MESSAGES } from './test-support/imported-bodies'
import { referToImages } from './test-support/images-referred'

const scratch = useScratch()
const PACK = 'a'.repeat(64)
const SHA = 'b'.repeat(64)
const location = { bodyAddress: 'c'.repeat(64), offset: 45, length: 10 }

describe('image locations', () => {
  it('keep their pack from removal until they go', async () => {
    const repository = scratch.open()
    const { db } = repository
    await importOn(repository)
    const queued = async () =>
      (await db.selectFrom('packs_to_remove').select('pack_address').execute()).length
    await recordBodyLocations(db, PACK, [
      { messageId: MESSAGES[0]!.id, ...location, bodyAddress: 'd'.repeat(64) },
    ])
    await recordImageLocations(db, PACK, [{ sha256: SHA, ...location }])
    expect((await db.deleteFrom('body_locations').executeTakeFirst()).numDeletedRows).toBe(1n)
    expect(await queued()).toBe(0)
    await db.deleteFrom('image_locations').execute()
    expect(await queued()).toBe(1)
    await recordImageLocations(db, PACK, [{ sha256: SHA, ...location }])
    expect(await queued()).toBe(0)
    // Announced again in another pack: the first loses its last reference.
    await recordImageLocations(db, 'e'.repeat(64), [{ sha256: SHA, ...location }])
    expect(await db.selectFrom('packs_to_remove').select('pack_address').execute()).toEqual([
      { pack_address: PACK },
    ])
    expect((await imageLocation(db, SHA))?.packAddress).toBe('e'.repeat(64))
  })

  it('are forgotten on the first start in another library', async () => {
    const { db } = scratch.open()
    await forLibrary(db, 'library-one')
    await recordImageLocations(db, PACK, [{ sha256: SHA, ...location }])
    expect(await forLibrary(db, 'library-one')).toBe(false)
    expect(await imageLocation(db, SHA)).toBeDefined()
    expect(await forLibrary(db, 'library-two')).toBe(true)
    expect(await imageLocation(db, SHA)).toBeUndefined()
  })

  it('are listed for the images messages here refer to, the most recently active conversation first', async () => {
    const repository = scratch.open()
    const [older, newer, unreferenced] = ['1', '2', '3'].map((digit) => digit.repeat(64))
    await referToImages(repository, 'claude-code:older', 1_700_000_000_000, [{ sha256: older!, bytes: 10 }])
    await referToImages(repository, 'claude-code:newer', 1_700_000_900_000, [{ sha256: newer!, bytes: 10 }])
    await recordImageLocations(repository.db, PACK, [
      { sha256: older!, ...location },
      { sha256: newer!, ...location },
      { sha256: unreferenced!, ...location },
    ])
    const listed = async (among?: string[]) =>
      (await referencedImageLocations(repository.db, among)).map((l) => l.sha256)
    expect(await listed()).toEqual([newer, older])
    expect(await listed([older!, newer!, unreferenced!])).toEqual([newer, older])
    expect(await listed([unreferenced!, older!])).toEqual([older])
    expect(await listed([])).toEqual([])
  })
})
