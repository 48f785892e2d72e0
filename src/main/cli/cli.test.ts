/** The real `chronicle` binary, run as a user runs it: a child process under plain Node, its exit code and output. */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openRepository } from '../repository/repository'

const dirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-cli-'))
  dirs.push(dir)
  return dir
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

function chronicle(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['bin/chronicle.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, CHRONICLE_DATA_DIR: '', NO_COLOR: '1', ...env },
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

async function seed(dataDir: string) {
  const repo = openRepository({ dataDir })
  await repo.write('cli', async (w) => {
    await w.upsertConversations([
      {
        id: 'c1',
        source: 'roo',
        sourceId: 'r1',
        title: 'Pool leak',
        workspace: '/w/api',
        createdAt: 1_700_000_000_000,
        tokensIn: 10,
        tokensOut: 5,
        cost: 0.5,
      },
    ])
    await w.upsertMessages([
      { id: 'm1', conversationId: 'c1', ordinal: 0, role: 'user', text: 'the connection pool leaks' },
      { id: 'm2', conversationId: 'c1', ordinal: 1, role: 'assistant', text: 'release the pool client' },
    ])
  })
  await repo.close()
}

describe('chronicle CLI', () => {
  it('prints help and exits 0', () => {
    const { code, stdout } = chronicle(['--help'])
    expect(code).toBe(0)
    expect(stdout).toContain('Usage: chronicle <command>')
    expect(stdout).toContain('search "<query>"')
  })

  it('stats on a fresh data directory creates the database and reports nothing imported', () => {
    const dataDir = join(tempDir(), 'fresh')
    const { code, stdout } = chronicle(['stats', '--data-dir', dataDir])
    expect(code).toBe(0)
    expect(stdout).toContain('0 conversations, 0 messages')
    expect(readFileSync(join(dataDir, 'chronicle.sqlite')).subarray(0, 15).toString()).toBe('SQLite format 3')
  })

  it('honours CHRONICLE_DATA_DIR, and --data-dir wins over it', async () => {
    const seeded = tempDir()
    await seed(seeded)
    const viaEnv = chronicle(['stats', '--json'], { CHRONICLE_DATA_DIR: seeded })
    expect(JSON.parse(viaEnv.stdout)).toMatchObject({
      dataDir: seeded,
      totals: { conversations: 1, messages: 2 },
    })
    const other = tempDir()
    const viaFlag = chronicle(['stats', '--json', '--data-dir', other], { CHRONICLE_DATA_DIR: seeded })
    expect(JSON.parse(viaFlag.stdout)).toMatchObject({ dataDir: other, totals: { conversations: 0 } })
  })

  it('search --json prints exactly one JSON document with ranked hits and snippets', async () => {
    const dataDir = tempDir()
    await seed(dataDir)
    const { code, stdout, stderr } = chronicle([
      'search',
      'pool',
      '--json',
      '--limit',
      '1',
      '--data-dir',
      dataDir,
    ])
    expect(code).toBe(0)
    expect(stderr).toBe('')
    const doc = JSON.parse(stdout) as {
      hits: { messageId: string; snippet: string }[]
      nextCursor: string | null
    }
    expect(doc.hits).toHaveLength(1)
    expect(doc.hits[0]?.snippet).toContain('\u0002pool\u0003')
    expect(doc.nextCursor).not.toBeNull()
    expect((JSON.parse(stdout) as { titleHits: { conversationId: string }[] }).titleHits).toEqual([
      expect.objectContaining({ conversationId: 'c1', snippet: '\u0002Pool\u0003 leak' }),
    ])
    const next = chronicle([
      'search',
      'pool',
      '--json',
      '--cursor',
      doc.nextCursor ?? '',
      '--data-dir',
      dataDir,
    ])
    const page2 = JSON.parse(next.stdout) as { hits: { messageId: string }[] }
    expect(page2.hits.map((h) => h.messageId)).not.toContain(doc.hits[0]?.messageId)
  })

  it('search prints readable results with the match marked', async () => {
    const dataDir = tempDir()
    await seed(dataDir)
    const { code, stdout } = chronicle(['search', '"connection pool"', '--data-dir', dataDir])
    expect(code).toBe(0)
    expect(stdout).toContain('[connection pool] leaks')
    expect(stdout).toContain('c1 / m1')
    const titled = chronicle(['search', 'leak*', '--data-dir', dataDir])
    expect(titled.stdout).toContain('Title: Pool [leak]')
  })

  it('bad input: a malformed search gives one line on stderr and exit 1', () => {
    const { code, stdout, stderr } = chronicle(['search', 'pool after:yesterday', '--data-dir', tempDir()])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(stderr).toContain('after:yesterday is not a date')
  })

  it('bad input: unknown commands and options, and a bad --limit, exit 2 with a hint', () => {
    expect(chronicle(['frobnicate']).code).toBe(2)
    const unknownOption = chronicle(['stats', '--colour'])
    expect(unknownOption.code).toBe(2)
    expect(unknownOption.stderr).toContain('--help')
    // An option of another command (audit export's) is refused too, naming the ones stats takes.
    const othersOption = chronicle(['stats', '--redact', '--data-dir', tempDir()])
    expect(othersOption).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'chronicle stats: unknown option --redact; stats takes --data-dir, --json (see chronicle stats --help)\n',
    })
    const limit = chronicle(['search', 'x', '--limit', '0', '--data-dir', tempDir()])
    expect(limit.code).toBe(2)
    expect(limit.stderr).toContain('--limit must be a whole number from 1 to 200')
  })

  it('bad input: a corrupt database file gives one actionable line, exit 1, and the file is untouched', () => {
    const dataDir = tempDir()
    const file = join(dataDir, 'chronicle.sqlite')
    writeFileSync(file, Buffer.from('this is not a database, just text pretending to be one'.repeat(100)))
    const before = createHash('sha256').update(readFileSync(file)).digest('hex')
    const { code, stderr } = chronicle(['stats', '--data-dir', dataDir])
    expect(code).toBe(1)
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(stderr).toContain('is not a readable SQLite database')
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before)
  })

  it('bad input: a data directory that is a file exits 1 naming the flag to fix it', () => {
    const parent = tempDir()
    writeFileSync(join(parent, 'file'), 'x')
    const { code, stderr } = chronicle(['stats', '--data-dir', join(parent, 'file', 'data')])
    expect(code).toBe(1)
    expect(stderr).toMatch(/not writable .*--data-dir/)
  })

  it('bad input: a database from a newer Chronicle is refused with exit 1', async () => {
    const dataDir = tempDir()
    await seed(dataDir)
    const repo = openRepository({ dataDir })
    await repo.db
      .insertInto('schema_migrations')
      .values({ version: 99, description: 'future', checksum: 'x', executed_at: 0, execution_ms: 0 })
      .execute()
    await repo.close()
    const { code, stderr } = chronicle(['stats', '--data-dir', dataDir])
    expect(code).toBe(1)
    expect(stderr).toContain('written by a newer Chronicle (schema version 99')
  })
})
