/** The adapters' output written into a real repository: it reads back, and writing it again changes nothing. */
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { conversationsOf, type ImportedConversation } from '../../source-adapter'
import { samplesDir } from '../../test-support/samples'
import { clineSdkAdapter } from '../cline-sdk'
import { rooCodeAdapter } from './index'
import { collect, MAIN_TASK } from './test-folders'
import { changeCount, writeImported } from '../../test-support/repository-helpers'

const scratch = useScratch()

async function readAll(): Promise<ImportedConversation[]> {
  const all: ImportedConversation[] = []
  for (const [adapter, root] of [
    [rooCodeAdapter, samplesDir('roo-code')],
    [clineSdkAdapter, samplesDir('cline-sdk')],
  ] as const) {
    for (const unit of await collect(adapter.findUnits(root)))
      all.push(...conversationsOf(await adapter.readUnit(unit)))
  }
  return all
}

const write = writeImported

describe('round trip through the repository', () => {
  it('writes the samples, reads them back, and a second write appends no change', async () => {
    const repo = scratch.open()
    const imported = await readAll()
    expect(imported.map((c) => [c.conversation.id, c.messages.length])).toEqual([
      ['roo:8c06d62c-1ee2-4c3a-991e-c9483e90c8aa', 4],
      [`roo:${MAIN_TASK}`, 125],
      ['cline:sdk:fixture-success-01', 4],
    ])
    await write(repo, imported)
    const after = await changeCount(repo)
    expect(after).toBeGreaterThan(0)

    const read = await repo.getConversation(`roo:${MAIN_TASK}`)
    if (!read.ok || !read.value) throw new Error('conversation not found')
    expect(read.value.conversation).toMatchObject({
      title: 'PHASE 1 : Diagnostic Système Interface-First - Stratégie Anti-Échec SDDD',
      workspace: 'd:/dev/roo-extensions',
      tokensOut: 16461,
      messageCount: 125,
    })
    expect(read.value.messages.items[0]?.text).toContain('Stratégie Anti-Échec SDDD')
    const sdk = await repo.getConversation('cline:sdk:fixture-success-01')
    if (!sdk.ok || !sdk.value) throw new Error('SDK conversation not found')
    expect(sdk.value.messages.items.map((m) => [m.role, m.kind])).toEqual([
      ['user', 'text'],
      ['assistant', 'tool_call'],
      ['tool', 'tool_result'],
      ['assistant', 'text'],
    ])
    const search = await repo.search('Échec')
    expect(search.ok && search.value.hits.length > 0).toBe(true)
    // What the user typed is found as theirs; the tool output the requests carried is found as a tool's.
    const typed = await repo.search('role:user tâches')
    if (!typed.ok) throw new Error('search failed')
    expect(typed.value.hits.length).toBeGreaterThan(0)
    expect(typed.value.hits.every((h) => h.role === 'user')).toBe(true)
    const output = await repo.search('role:user "Todo list updated successfully"')
    expect(output.ok && output.value.hits).toEqual([])
    const asTool = await repo.search('role:tool "Todo list updated successfully"')
    expect(asTool.ok && asTool.value.hits.length).toBeGreaterThan(0)

    await write(repo, await readAll())
    expect(await changeCount(repo)).toBe(after)
  })
})
