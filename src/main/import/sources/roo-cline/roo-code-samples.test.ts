/** The real Roo Code samples (../shared/samples/roo-code), read with the adapter directly. Figures checked with jq. */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { samplesDir } from '../../test-support/samples'
import { clineAdapter, rooCodeAdapter } from './index'
import { collect, countBy, MAIN_TASK, readOnly, SUBTASK } from './test-folders'

const tasks = () => samplesDir('roo-code', 'tasks')

describe('Roo Code task folders: finding', () => {
  it('finds one unit per task from the storage folder, the tasks folder, a task folder or one of its files', async () => {
    const fromStorage = await collect(rooCodeAdapter.findUnits(samplesDir('roo-code')))
    expect(fromStorage.map((u) => u.key)).toEqual([join(tasks(), SUBTASK), join(tasks(), MAIN_TASK)])
    expect(fromStorage[1]?.files).toEqual([
      join(tasks(), MAIN_TASK, 'api_conversation_history.json'),
      join(tasks(), MAIN_TASK, 'ui_messages.json'),
    ])
    expect(fromStorage[0]?.files).toEqual([join(tasks(), SUBTASK, 'api_conversation_history.json')])
    expect(await collect(rooCodeAdapter.findUnits(tasks()))).toEqual(fromStorage)
    const one = await collect(rooCodeAdapter.findUnits(join(tasks(), MAIN_TASK)))
    expect(one).toEqual([fromStorage[1]])
    const byFile = await collect(rooCodeAdapter.findUnits(join(tasks(), MAIN_TASK, 'ui_messages.json')))
    expect(byFile).toEqual([fromStorage[1]])
  })
})

describe('Roo Code task folders: the main task (API history and UI log)', () => {
  it('maps all 63 API history items in order', async () => {
    const { conversation, messages } = await readOnly(rooCodeAdapter, join(tasks(), MAIN_TASK))
    const id = `roo:${MAIN_TASK}`
    expect(conversation.id).toBe(id)
    expect(messages).toHaveLength(63)
    expect(messages.map((m) => m.ordinal)).toEqual([...Array(63).keys()])
    expect(messages[62]?.id).toBe(`${id}#62`)
    expect(countBy(messages, (m) => `${m.role}/${m.kind}`)).toEqual({ 'user/text': 33, 'assistant/text': 30 })
    // 33 items are a single bare text block: their text is their content.
    expect(messages.filter((m) => m.content === undefined)).toHaveLength(33)
    expect(messages[0]?.createdAt).toBe(1758115714892)
    expect(messages[62]?.createdAt).toBe(1758149129117)
    expect(messages[0]?.text).toContain('Stratégie Anti-Échec SDDD')
    expect(messages[0]?.content).toHaveLength(3)
  })

  it('takes title, usage and time span from the UI log (146 rows, 32 partial)', async () => {
    const { conversation } = await readOnly(rooCodeAdapter, join(tasks(), MAIN_TASK))
    expect(conversation).toMatchObject({
      source: 'roo',
      sourceId: MAIN_TASK,
      title: 'PHASE 1 : Diagnostic Système Interface-First - Stratégie Anti-Échec SDDD',
      // Not in a HistoryItem here: read from the environment details Roo appends to user messages.
      workspace: 'd:/dev/roo-extensions',
      model: 'claude-sonnet-4-20250514',
      // The UI log starts with the prompt, 17 minutes before the first API request.
      createdAt: 1758114661175,
      // The last API item; the UI log's last row is a resume_task ask ten days later, left out like Roo does.
      lastActivityAt: 1758149129117,
      updatedAt: 1758149129117,
      // Sums over the 30 api_req_started rows.
      tokensIn: 285,
      tokensOut: 16461,
      cacheReads: 1039280,
      cacheWrites: 689253,
      parentId: null,
    })
    expect(conversation.cost).toBeCloseTo(2.90000775, 8)
  })
})

describe('Roo Code task folders: a subtask with only its API history', () => {
  it('reads 4 messages and takes the title from the first user message', async () => {
    const { conversation, messages } = await readOnly(rooCodeAdapter, join(tasks(), SUBTASK))
    expect(messages).toHaveLength(4)
    expect(countBy(messages, (m) => `${m.role}/${m.kind}`)).toEqual({ 'user/text': 2, 'assistant/text': 2 })
    // The prompt's first line is 286 characters: cut to 200 with an ellipsis, without the <task> wrapper.
    expect(conversation.title).toHaveLength(200)
    expect(conversation.title).toMatch(
      /^TEST-LEAF-B1a: Crée le fichier mcp-debugging\/test-data\/test-b1a\.py /,
    )
    expect(conversation.title.endsWith('(format 06/07 suivi de 8 chiffres)…')).toBe(true)
    expect(conversation).toMatchObject({
      workspace: 'd:/dev/2025-Epita-Intelligence-Symbolique',
      model: 'anthropic/claude-sonnet-4',
      createdAt: 1758819599801,
      lastActivityAt: 1758819648003,
    })
    // No UI log and no HistoryItem: no usage is known, so none is claimed.
    expect(conversation.tokensIn).toBeUndefined()
    expect(conversation.cost).toBeUndefined()
  })
})

describe('Cline reads the same folder format', () => {
  it('gives cline ids to the same task', async () => {
    const { conversation, messages } = await readOnly(clineAdapter, join(tasks(), SUBTASK))
    expect(conversation.id).toBe(`cline:${SUBTASK}`)
    expect(conversation.source).toBe('cline')
    expect(messages[3]?.id).toBe(`cline:${SUBTASK}#3`)
  })
})
