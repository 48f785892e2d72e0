/** `chronicle import` and `chronicle watch` as a user runs them, over the real sample files. */
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { until } from '../hub/test-support/until'
import { samplesDir } from '../import/test-support/samples'
import { main } from './main'

const dirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-cli-import-'))
  dirs.push(dir)
  return dir
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

const chronicle = (args: string[]) =>
  spawnSync(process.execPath, ['bin/chronicle.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, CHRONICLE_DATA_DIR: '', NO_COLOR: '1' },
  })

interface Summary {
  conversations: { added: number; updated: number; unchanged: number }
  messages: { added: number; updated: number; unchanged: number }
  problems: { path: string; reason: string }[]
}

describe('chronicle import', () => {
  it('imports every sample, then a second import changes nothing', () => {
    const dataDir = tempDir()
    const paths = [
      samplesDir('roo-code', 'tasks'),
      samplesDir('claude-code', 'projects'),
      samplesDir('cline-sdk', 'sessions'),
    ]
    const first = chronicle(['import', ...paths, '--json', '--data-dir', dataDir])
    expect(first.stderr).toBe('')
    expect(first.status).toBe(0)
    const summary = JSON.parse(first.stdout) as Summary
    expect(summary.problems).toEqual([])
    expect(summary.conversations.added).toBeGreaterThanOrEqual(8)
    expect(summary.messages.added).toBeGreaterThan(100)
    const again = JSON.parse(
      chronicle(['import', ...paths, '--json', '--data-dir', dataDir]).stdout,
    ) as Summary
    expect(again.conversations).toMatchObject({
      added: 0,
      updated: 0,
      unchanged: summary.conversations.added,
    })
    expect(again.messages).toMatchObject({ added: 0, updated: 0, unchanged: summary.messages.added })
    const stats = JSON.parse(chronicle(['stats', '--json', '--data-dir', dataDir]).stdout) as {
      bySource: { key: string }[]
    }
    expect(stats.bySource.map((g) => g.key).sort()).toEqual(['claude-code', 'cline', 'roo'])
    // French text from the Roo samples is searchable without its accents.
    const search = JSON.parse(chronicle(['search', 'echecs', '--json', '--data-dir', dataDir]).stdout) as {
      hits: { source: string }[]
    }
    expect(search.hits.some((h) => h.source === 'roo')).toBe(true)
  })

  it('bad input: a corrupt task is reported with its path, the other tasks are imported, exit 1', () => {
    const root = tempDir()
    const tasks = join(root, 'tasks')
    cpSync(samplesDir('roo-code', 'tasks'), tasks, { recursive: true })
    mkdirSync(join(tasks, 'broken-task'))
    writeFileSync(join(tasks, 'broken-task', 'api_conversation_history.json'), '\u0000\u0001binary junk}')
    const result = chronicle(['import', tasks, '--source', 'roo', '--data-dir', join(root, 'data')])
    expect(result.status).toBe(1)
    expect(result.stdout).toContain('Conversations: 2 added')
    expect(result.stdout).toMatch(/broken-task.*: /)
  })

  it('resolves relative paths (units are keyed by absolute path)', () => {
    const dataDir = tempDir()
    const relative = join('..', 'shared', 'samples', 'roo-code', 'tasks')
    const result = chronicle(['import', relative, '--json', '--data-dir', dataDir])
    expect(result.status).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ problems: [], conversations: { added: 2 } })
  })

  it('files a Cline task in a neutral folder as Cline, from its content; one nothing tells is reported with the choices', () => {
    const root = tempDir()
    // Cline's own shape: a Date.now() folder whose first UI row is say:"task"; no name in the path says Cline.
    const clineTask = join(root, 'tasks', '1718000000000')
    mkdirSync(clineTask, { recursive: true })
    const ui = [{ ts: 1718000000000, type: 'say', say: 'task', text: 'Fix the build' }]
    const api = [
      { role: 'user', content: [{ type: 'text', text: '<task>\nFix the build\n</task>' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] },
    ]
    writeFileSync(join(clineTask, 'ui_messages.json'), JSON.stringify(ui))
    writeFileSync(join(clineTask, 'api_conversation_history.json'), JSON.stringify(api))
    const dataDir = join(root, 'data')
    const result = chronicle(['import', root, '--data-dir', dataDir])
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain(`Read roo|cline: ${root}`)
    expect(result.stdout).toContain('Conversations: 1 added')
    const stats = JSON.parse(chronicle(['stats', '--json', '--data-dir', dataDir]).stdout) as {
      bySource: { key: string }[]
    }
    expect(stats.bySource.map((g) => g.key)).toEqual(['cline'])

    // Bad input: a task with only an API history and a name that tells nothing.
    const unknown = join(root, 'tasks', 'my-task')
    mkdirSync(unknown)
    writeFileSync(join(unknown, 'api_conversation_history.json'), JSON.stringify(api))
    const undecided = chronicle(['import', root, '--data-dir', dataDir])
    expect(undecided.status).toBe(1)
    expect(undecided.stdout).toContain('Conversations: 0 added, 0 updated, 1 unchanged')
    expect(undecided.stdout).toContain(`${unknown}: holds nothing that tells`)
    expect(undecided.stdout).toContain('--source roo or --source cline')
  })

  it('bad input: an unknown --source and an unrecognisable path exit 2 with a hint', () => {
    expect(chronicle(['import', '--source', 'emacs', '--data-dir', tempDir()]).status).toBe(2)
    const unknown = chronicle(['import', tempDir(), '--data-dir', tempDir()])
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toContain('--source')
  })
})

describe('chronicle watch', () => {
  it('imports a Claude Code line appended while watching', async () => {
    const root = tempDir()
    const project = join(root, 'projects', '-home-ada-api')
    mkdirSync(project, { recursive: true })
    const line = (uuid: string, text: string) =>
      JSON.stringify({
        type: 'user',
        uuid,
        parentUuid: null,
        sessionId: 'live-session',
        cwd: '/home/ada/api',
        timestamp: new Date().toISOString(),
        message: { role: 'user', content: text },
      }) + '\n'
    writeFileSync(join(project, 'live-session.jsonl'), line('u1', 'first words'))
    const child = spawn(process.execPath, [
      'bin/chronicle.js',
      'watch',
      join(root, 'projects'),
      '--json',
      '--data-dir',
      join(root, 'data'),
    ])
    try {
      const seen: string[] = []
      const waitFor = (needle: string) =>
        new Promise<void>((resolve, reject) => {
          const check = () => (seen.join('').includes(needle) ? resolve() : undefined)
          child.stdout.on('data', (chunk: Buffer) => {
            seen.push(chunk.toString())
            check()
          })
          child.once('exit', (code) => reject(new Error(`watch exited ${code}: ${seen.join('')}`)))
          check()
        })
      await waitFor('"added":1')
      const appended = Date.now()
      writeFileSync(
        join(project, 'live-session.jsonl'),
        line('u1', 'first words') + line('u2', 'second words'),
      )
      seen.length = 0
      await waitFor('"added":1')
      expect(Date.now() - appended).toBeLessThan(1_000)
    } finally {
      child.kill('SIGINT')
    }
  })

  it('bad input: a task that stays unreadable is reported once, not again on each later run', async () => {
    const root = tempDir()
    const tasks = join(root, 'tasks')
    cpSync(samplesDir('roo-code', 'tasks'), tasks, { recursive: true })
    mkdirSync(join(tasks, 'broken-task'))
    writeFileSync(join(tasks, 'broken-task', 'api_conversation_history.json'), '\u0000\u0001binary junk}')
    const said: string[] = []
    const output = { out: (t: string) => said.push(t), err: (t: string) => said.push(t), color: false }
    const exited = main(['watch', tasks, '--source', 'roo', '--data-dir', join(root, 'data')], output)
    try {
      await until(
        () => said.join('\n'),
        (text) => text.includes('2 new conversations'),
      )
      // A new task makes the watcher import the folder again, broken task included.
      cpSync(join(tasks, '8c06d62c-1ee2-4c3a-991e-c9483e90c8aa'), join(tasks, 'a-new-task'), {
        recursive: true,
      })
      await until(
        () => said.join('\n'),
        (text) => text.includes('1 new conversations'),
      )
    } finally {
      process.emit('SIGINT')
    }
    expect(await exited).toBe(0)
    expect(said.join('\n').match(/skipped .*broken-task/g)).toHaveLength(1)
  })
})
