/**
 * Merging this machine's own library before it joins another, on a real data directory with the Roo samples
 * imported and no app open: the trail is brought up to date, exported and signed into `exports/`, and every
 * conversation is prepared to go into the joined library, each long step told through onProgress. The whole join,
 * with a worker and a second machine, is in src/main/relay/merge-on-join.test.ts.
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeMembershipStep } from '../../shared/api/sync-membership'
import { importSources } from '../import/import-engine'
import { rooCodeAdapter } from '../import/sources/roo-cline'
import { rowCount } from '../import/test-support/repository-helpers'
import { samplesDir } from '../import/test-support/samples'
import { openRepository } from '../repository/repository'
import { useScratch } from '../repository/test-support/scratch'
import { mergeOwnLibrary } from './join-merge'

const scratch = useScratch()

describe("merging this machine's own library before a join", () => {
  it('exports the caught-up trail, signed, and prepares every conversation, telling each step', async () => {
    const dataDir = scratch.dir()
    const imported = openRepository({ dataDir })
    await importSources(imported, [{ path: samplesDir('roo-code', 'tasks'), adapter: rooCodeAdapter }])
    const conversations = await rowCount(imported, 'conversations')
    const messages = await rowCount(imported, 'messages')
    await imported.close()
    expect(conversations).toBeGreaterThan(0)

    const lines: string[] = []
    const merged = await mergeOwnLibrary({
      dataDir,
      openRepository: () => openRepository({ dataDir }),
      log: () => undefined,
      onProgress: (step) => lines.push(describeMembershipStep(step)),
    })

    expect(dirname(merged.trailExport)).toBe(join(dataDir, 'exports'))
    expect(existsSync(merged.trailExport)).toBe(true)
    expect(merged.eventsExported).toBeGreaterThan(0)
    expect(merged.signedBy).toMatch(/\S/)
    expect({ conversations: merged.conversations, messages: merged.messages }).toEqual({
      conversations,
      messages,
    })
    const steps = [...new Set(lines.map((line) => line.replace(/:.*/, '')))]
    expect(steps).toEqual([
      'Bringing the audit trail up to date',
      "Exporting this library's audit trail",
      'Preparing this library to go into the one it joins',
    ])
  }, 60_000)
})
