/** `chronicle search` with a misspelled word: the real binary under plain Node, over a real repository. */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRepository } from '../repository/repository'

let dataDir = ''

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'chronicle-cli-suggest-'))
  const repo = openRepository({ dataDir })
  await repo.write('cli', async (w) => {
    await w.upsertConversations([
      { id: 'c1', source: 'roo', sourceId: 'r1', title: 'Pool leak', createdAt: 1 },
    ])
    await w.upsertMessages(
      Array.from({ length: 6 }, (_, i) => ({
        id: `m${i}`,
        conversationId: 'c1',
        ordinal: i,
        role: 'user' as const,
        text: i < 4 ? `the connection pool leaks ${i}` : `connections in the pool ${i}`,
      })),
    )
  })
  await repo.close()
})
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

function search(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/chronicle.js', 'search', ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    env: { ...process.env, CHRONICLE_DATA_DIR: '', NO_COLOR: '1' },
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('chronicle search: did you mean', () => {
  it('prints the corrections, most frequent first, quoted to be typed again', () => {
    const { code, stdout } = search('conection')
    expect(code).toBe(0)
    expect(stdout).toBe('No matches for conection.\nDid you mean "connection" or "connections"?\n')
  })

  it('puts them in --json, with the words each one changes', () => {
    const { code, stdout, stderr } = search('conection pool', '--json')
    expect(code).toBe(0)
    expect(stderr).toBe('')
    const doc = JSON.parse(stdout) as { hits: unknown[]; suggestions: unknown[] }
    expect(doc.hits).toEqual([])
    expect(doc.suggestions).toEqual([
      { query: 'connection pool', corrections: [{ word: 'conection', suggestion: 'connection' }] },
      { query: 'connections pool', corrections: [{ word: 'conection', suggestion: 'connections' }] },
    ])
  })

  it('prints none when the query finds 5 messages or more, and an empty list in --json', () => {
    expect(search('pool').stdout).not.toContain('Did you mean')
    const doc = JSON.parse(search('pool', '--json').stdout) as { hits: unknown[]; suggestions: unknown[] }
    expect(doc.hits).toHaveLength(6)
    expect(doc.suggestions).toEqual([])
  })
})
