/**
 * A machine that joins while another keeps pushing, against the sync Worker in real workerd. sync-cf sends each
 * push to every live pull at once, also to the joining machine's, whose backlog (the library so far, read page by
 * page) is still on its way: those live pages run ahead of its head. The relay passes over them and takes the
 * events from the backlog in order; it used to stop syncing with "event N does not follow the head M" (seen in
 * bench sync at large size).
 */
import { describe, expect, it } from 'vitest'
import { until } from '../hub/test-support/until'
import { useScratch } from '../repository/test-support/scratch'
import { rename, sameChains, useRelayMachines, type RelayMachine } from './test-support/relay-machines'

const scratch = useScratch()
const relay = useRelayMachines(scratch, 'library-join-while-pushing')

/** Enough history for the Worker's backlog to take several pages (it reads 256 events a page). */
const CONVERSATIONS = 1_500

async function importConversations(m: RelayMachine) {
  await m.repository.write('import', async (w) => {
    await w.upsertConversations(
      Array.from({ length: CONVERSATIONS }, (_, i) => ({
        id: `roo:joining-${i}`,
        source: 'roo' as const,
        sourceId: `joining-${i}`,
        title: `Before the join ${i}`,
        createdAt: 1_700_000_000_000 + i,
      })),
    )
  })
}

describe('a machine joining while another pushes', () => {
  it('takes the backlog in order past the live pages that overtook it, and ends with the same chain (bad input: pages out of order)', async () => {
    const a = await relay.machine()
    await importConversations(a)
    await until(
      async () => [await a.runtime.bridge.backlog(), await a.runtime.store.unconfirmed()],
      ([backlog, waiting]) => backlog === 0 && waiting === 0,
      60_000,
    )

    // A renames all the while B joins and pulls the library from its start.
    let pushing = true
    let renames = 0
    const pushes = (async () => {
      while (pushing) {
        renames += 1
        await rename(a, `roo:joining-${renames % CONVERSATIONS}`, `Renamed while B joins ${renames}`)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    })()
    try {
      const b = await relay.machine()
      await until(
        () => b.runtime.hub.eventlog.head(),
        (head) => head >= CONVERSATIONS,
        60_000,
      )
      pushing = false
      await pushes

      await sameChains(a, b)
      expect(b.runtime.relay?.status().connection.state).toBe('connected')
      expect(renames).toBeGreaterThan(0)
    } finally {
      // A failed wait must not leave renames going into a store the test's end shuts down.
      pushing = false
      await pushes
    }
  }, 150_000)
})
