/** Which format a path the user names is read as, from folder and file names alone. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../repository/test-support/scratch'
import { detectFormats } from './adapters'

const scratch = useScratch()

const taskStorage = (folder: string): string => {
  const storage = join(scratch.dir(), folder)
  mkdirSync(join(storage, 'tasks', 'task-1'), { recursive: true })
  writeFileSync(join(storage, 'tasks', 'task-1', 'ui_messages.json'), '[]')
  return storage
}

describe('detectFormats', () => {
  it("reads Roo Code's own storage folder (rooveterinaryinc.roo-cline) as Roo, not Cline", () => {
    expect(detectFormats(taskStorage('rooveterinaryinc.roo-cline'))).toEqual(['roo'])
    expect(detectFormats(join(taskStorage('rooveterinaryinc.roo-cline'), 'tasks'))).toEqual(['roo'])
  })

  it("reads Cline's storage folder (saoudrizwan.claude-dev) as Cline, and an unnamed one as Roo", () => {
    expect(detectFormats(taskStorage('saoudrizwan.claude-dev'))).toEqual(['cline'])
    expect(detectFormats(taskStorage('backup'))).toEqual(['roo'])
  })

  it('follows --source over any name', () => {
    expect(detectFormats(taskStorage('rooveterinaryinc.roo-cline'), 'cline')).toEqual(['cline', 'cline-sdk'])
  })
})
