/** Bad task folders, each in its own temporary copy: reported as UnitReadError with a reason, never a crash. */
import { mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { UnitReadError, type SourceUnit } from '../../source-adapter'
import { samplesDir } from '../../test-support/samples'
import { rooCodeAdapter } from './index'
import { collect, copySampleTask, MAIN_TASK, readOnly, SUBTASK, writeTask } from './test-folders'

const scratch = useScratch()
const API = 'api_conversation_history.json'

async function readError(dir: string): Promise<UnitReadError> {
  const error: unknown = await readOnly(rooCodeAdapter, dir).then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(UnitReadError)
  return error as UnitReadError
}

describe('bad input in Roo/Cline task folders', () => {
  it('corrupt JSON is a failure, not a retry', async () => {
    const dir = writeTask(scratch.dir(), 't1', { [API]: '[{"role":"user",, "content":"hi"}]' })
    const error = await readError(dir)
    expect(error).toMatchObject({ path: join(dir, API), retryable: false })
    expect(error.reason).toMatch(/^is not valid JSON/)
  })

  it('JSON that ends abruptly is probably still being written: retryable', async () => {
    const whole = readFileSync(join(samplesDir('roo-code', 'tasks', MAIN_TASK), API), 'utf8')
    const dir = writeTask(scratch.dir(), 't1', { [API]: whole.slice(0, Math.floor(whole.length / 2)) })
    expect(await readError(dir)).toMatchObject({
      path: join(dir, API),
      reason: 'ends abruptly (probably still being written)',
      retryable: true,
    })
  })

  it('binary junk', async () => {
    const junk = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)
    const dir = writeTask(scratch.dir(), 't1', { [API]: junk })
    expect(await readError(dir)).toMatchObject({
      reason: 'holds binary data, not JSON text (a NUL byte at offset 0)',
      retryable: false,
    })
  })

  it('an empty file is retryable (Cline truncates before it writes)', async () => {
    const dir = writeTask(scratch.dir(), 't1', { [API]: '' })
    expect(await readError(dir)).toMatchObject({
      reason: 'is empty (probably still being written)',
      retryable: true,
    })
  })

  it('JSON that is not an array', async () => {
    const dir = writeTask(scratch.dir(), 't1', { [API]: { role: 'user', content: 'hi' } })
    expect(await readError(dir)).toMatchObject({ path: join(dir, API), reason: 'is not a JSON array' })
  })

  it('a history_item.json that is not an object', async () => {
    const dir = copySampleTask(scratch.dir(), SUBTASK, [API])
    writeFileSync(join(dir, 'history_item.json'), '[]')
    expect(await readError(dir)).toMatchObject({ reason: 'is not a JSON object' })
  })

  it('a directory named api_conversation_history.json', async () => {
    const dir = writeTask(scratch.dir(), 't1', {})
    mkdirSync(join(dir, API))
    const [unit] = await collect(rooCodeAdapter.findUnits(dir))
    expect(unit?.files).toEqual([join(dir, API)])
    expect(await readError(dir)).toMatchObject({ path: join(dir, API), reason: 'is a directory, not a file' })
  })

  it('a linked file is not followed', async () => {
    const root = scratch.dir()
    const dir = writeTask(root, 't1', {})
    symlinkSync(join(samplesDir('roo-code', 'tasks', SUBTASK), API), join(dir, API))
    expect(await readError(dir)).toMatchObject({ reason: 'is a symbolic link (not followed)' })
  })

  it('a file over the size limit is refused without reading it', async () => {
    // Sparse files: nothing of this size is written to disk. Message files are streamed, so their limit is higher.
    const dir = writeTask(scratch.dir(), 't1', { [API]: '' })
    truncateSync(join(dir, API), 3 * 1024 * 1024 * 1024)
    expect(await readError(dir)).toMatchObject({
      reason: 'is 3072 MB, over the 2048 MB limit for one JSON file',
      retryable: false,
    })
    const other = copySampleTask(scratch.dir(), SUBTASK, [API])
    writeFileSync(join(other, 'history_item.json'), '')
    truncateSync(join(other, 'history_item.json'), 300 * 1024 * 1024)
    expect(await readError(other)).toMatchObject({
      reason: 'is 300 MB, over the 256 MB limit for one JSON file',
      retryable: false,
    })
  })

  it('a symlink loop under tasks/ is not entered', async () => {
    const root = scratch.dir()
    copySampleTask(root, SUBTASK, [API])
    symlinkSync(join(root, 'tasks'), join(root, 'tasks', 'loop'))
    symlinkSync(join(root, 'tasks', SUBTASK), join(root, 'tasks', 'linked-task'))
    const units = await collect(rooCodeAdapter.findUnits(root))
    expect(units.map((u) => u.key)).toEqual([join(root, 'tasks', SUBTASK)])
  })

  it('a task folder named with ".." is refused (no id may name another place)', async () => {
    const root = scratch.dir()
    copySampleTask(root, SUBTASK, [API])
    // Built as strings: path.join would resolve the '..' away.
    for (const key of [`${root}/tasks/..`, `${root}/tasks/../tasks/${SUBTASK}`, `${root}/tasks/a\\..`]) {
      const unit: SourceUnit = { key, source: 'roo', files: [join(root, 'tasks', SUBTASK, API)] }
      const error: unknown = await rooCodeAdapter.readUnit(unit).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(UnitReadError)
      expect(error).toMatchObject({ path: key, reason: 'is not a valid task folder name' })
    }
  })

  it('a folder with only metadata is not a task; one whose message files vanished is reported', async () => {
    const root = scratch.dir()
    writeTask(root, 'no-messages', { 'task_metadata.json': { files_in_context: [] } })
    expect(await collect(rooCodeAdapter.findUnits(root))).toEqual([])
    const unit: SourceUnit = { key: join(root, 'tasks', 'no-messages'), source: 'roo', files: [] }
    await expect(rooCodeAdapter.readUnit(unit)).rejects.toMatchObject({
      reason: 'has neither api_conversation_history.json nor ui_messages.json',
    })
  })

  it('a UI log without rows leaves the messages and the usage to the API history', async () => {
    const dir = copySampleTask(scratch.dir(), SUBTASK, [API])
    writeFileSync(join(dir, 'ui_messages.json'), '[]')
    const { conversation, messages } = await readOnly(rooCodeAdapter, dir)
    expect(messages).toHaveLength(4)
    expect(conversation.metadata).toEqual({ messagesFrom: 'api_conversation_history' })
    expect(conversation.tokensIn).toBeUndefined()
  })

  it('a bad api_req_started row costs that row its numbers, not the task', async () => {
    const dir = writeTask(scratch.dir(), 't1', {
      'ui_messages.json': [
        { ts: 1, type: 'say', say: 'text', text: 'Prompt' },
        { ts: 2, type: 'say', say: 'api_req_started', text: '{"tokensIn": 5, "tokensOut"', partial: true },
        { ts: 3, type: 'say', say: 'api_req_started', text: '{"tokensIn":7,"tokensOut":3,"cost":0.5}' },
      ],
    })
    const { conversation } = await readOnly(rooCodeAdapter, dir)
    expect(conversation).toMatchObject({
      tokensIn: 7,
      tokensOut: 3,
      cost: 0.5,
      cacheReads: 0,
      title: 'Prompt',
    })
  })
})
