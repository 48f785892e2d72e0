/**
 * Body locations on a real SQLite file: a v1.BodiesPacked names messages, and only those here are located. A message
 * that is not here was purged (its v1.MessagesAppended comes first in the eventlog), and a row for it would keep
 * its pack from removal for good. A location that names another body sends a fetched body back to be fetched.
 */
import { describe, expect, it } from 'vitest'
import { useScratch } from '../repository/test-support/scratch'
import { BODY_ELSEWHERE, BODY_FETCHED, recordBodyLocations } from './body-locations'
import { CONVERSATION, importOn, MESSAGES } from './test-support/imported-bodies'

const scratch = useScratch()
const PACK = 'a'.repeat(64)
const at = (messageId: string, bodyAddress = 'b'.repeat(64)) => ({
  messageId,
  bodyAddress,
  offset: 0,
  length: 9,
})

describe('body locations', () => {
  it('are recorded for the messages that are here, and none for a message purged before its pack came', async () => {
    const repository = scratch.open()
    const { db } = repository
    await importOn(repository)
    const [first, second] = MESSAGES.map((m) => m.id)
    await recordBodyLocations(db, PACK, [at(first!), at(`${CONVERSATION}#gone`), at(second!)])
    const located = await db.selectFrom('body_locations').select('message_id').orderBy('message_id').execute()
    expect(located.map((row) => row.message_id)).toEqual([first, second])

    // The conversation purged, then a pack of its bodies applied late: nothing keeps the pack.
    await repository.write('ui', (_w, trx) =>
      trx.deleteFrom('conversations').where('id', '=', CONVERSATION).execute(),
    )
    await recordBodyLocations(
      db,
      'c'.repeat(64),
      MESSAGES.map((m) => at(m.id)),
    )
    expect(await db.selectFrom('body_locations').selectAll().execute()).toEqual([])
    expect(await db.selectFrom('packs_to_remove').select('pack_address').execute()).toEqual([
      { pack_address: PACK },
    ])
  })

  it('send a fetched body back to be fetched when its message names another body', async () => {
    const repository = scratch.open()
    const { db } = repository
    await importOn(repository)
    const id = MESSAGES[2]!.id
    await recordBodyLocations(db, PACK, [at(id)])
    await repository.write('sync', (_w, trx) =>
      trx.updateTable('messages').set({ body_state: BODY_FETCHED }).where('id', '=', id).execute(),
    )
    const state = async () =>
      (await db.selectFrom('messages').select('body_state').where('id', '=', id).executeTakeFirst())
        ?.body_state
    await recordBodyLocations(db, PACK, [at(id)])
    expect(await state()).toBe(BODY_FETCHED)
    await recordBodyLocations(db, PACK, [at(id, 'd'.repeat(64))])
    expect(await state()).toBe(BODY_ELSEWHERE)
  })
})
