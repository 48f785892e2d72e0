import { newChronicleConversation } from '../../../shared/livestore/events'
import { events, tables } from '../../../shared/livestore/schema'
import type { HubFixture } from '../../hub/test-support/hub-fixture'
import { until } from '../../hub/test-support/until'

/** What the device's events say of themselves. */
export const LAPTOP_META = { at: 1, deviceId: 'laptop', actor: 'user', origin: 'ui' as const }

/**
 * A device's store over WebSocket and the main store in process, on the fixture's hub, once the main store has
 * pulled the one conversation the device created (c1, "First").
 */
export async function deviceAndMainWithOneConversation(fixture: HubFixture, dataDir: string) {
  const laptop = await fixture.wsStore(dataDir, 'laptop')
  const main = await fixture.inProcessStore(dataDir, 'main')
  await laptop.commit([
    events.conversationCreated({ ...LAPTOP_META, conversation: newChronicleConversation('c1', 'First', 1) }),
  ])
  await laptop.waitForBackend()
  await until(
    () => main.store.query(tables.conversations.where({ id: 'c1' }).first())?.title,
    (title) => title === 'First',
  )
  return { laptop, main }
}
