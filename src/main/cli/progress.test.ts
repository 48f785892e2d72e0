/**
 * One rule for progress (progress-line.ts): a line on stderr only when it is a terminal, never with --json, cleared
 * before anything else is printed. Checked through the Output a command is given, and with the real binary on a
 * real terminal (a pseudo-terminal from util-linux `script`) and in a pipe.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { until } from '../hub/test-support/until'
import { samplesDir } from '../import/test-support/samples'
import { useScratch } from '../repository/test-support/scratch'
import { main } from './main'
import type { Output } from './terminal'

const scratch = useScratch()
const CLEAR = '\r\x1b[2K'

/** An Output whose stderr is a terminal, recording what is printed and drawn in order. */
function terminalOutput(terminal = true) {
  const said: string[] = []
  const output: Output = {
    out: (text) => said.push(`out ${text}`),
    err: (text) => said.push(`err ${text}`),
    color: false,
    ...(terminal && {
      status: (text: string | null) => said.push(text === null ? 'cleared' : `status ${text}`),
    }),
  }
  return { output, said }
}

const drawn = (said: readonly string[]) => said.filter((s) => s.startsWith('status '))

describe('progress in the commands that wait', () => {
  it('import on a terminal draws its progress, then clears it before printing the summary', async () => {
    const { output, said } = terminalOutput()
    const dataDir = join(scratch.dir(), 'data')
    expect(await main(['import', samplesDir('roo-code', 'tasks'), '--data-dir', dataDir], output)).toBe(0)
    expect(drawn(said)[0]).toMatch(/^status Importing: \d+ sources, \d+ messages read$/)
    const cleared = said.indexOf('cleared')
    expect(cleared).toBeGreaterThan(said.indexOf(drawn(said).at(-1) ?? ''))
    expect(said.findIndex((s) => s.startsWith('out '))).toBeGreaterThan(cleared)
  })

  it('bad input: --json on a terminal, or stderr in a pipe: import draws nothing', async () => {
    const json = terminalOutput()
    const dataDir = join(scratch.dir(), 'data')
    await main(['import', samplesDir('roo-code', 'tasks'), '--json', '--data-dir', dataDir], json.output)
    expect(json.said.filter((s) => !s.startsWith('out '))).toEqual([])
    const piped = terminalOutput(false)
    await main(['import', samplesDir('claude-code', 'projects'), '--data-dir', dataDir], piped.output)
    expect(piped.said.every((s) => s.startsWith('out '))).toBe(true)
  })

  it('watch draws the progress of its first import and clears it; with --json it draws nothing', async () => {
    for (const json of [false, true]) {
      const { output, said } = terminalOutput()
      const dataDir = join(scratch.dir(), 'data')
      const argv = [
        'watch',
        samplesDir('roo-code', 'tasks'),
        '--data-dir',
        dataDir,
        ...(json ? ['--json'] : []),
      ]
      const exited = main(argv, output)
      // The first import reports what it added: the sample's two conversations.
      const reported = json ? '"conversations":{"added":2' : '2 new conversations'
      await until(
        () => said.join('\n'),
        (text) => text.includes(reported),
      )
      process.emit('SIGINT')
      expect(await exited).toBe(0)
      if (json) expect(said.filter((s) => !s.startsWith('out '))).toEqual([])
      else {
        expect(drawn(said)[0]).toMatch(/^status Importing: /)
        expect(said.indexOf('cleared')).toBeGreaterThan(said.indexOf(drawn(said).at(-1) ?? ''))
      }
    }
  })
})

const hasScript = process.platform === 'linux' && existsSync('/usr/bin/script')

describe('progress from the real binary', () => {
  const chronicle = (args: string[]) =>
    spawnSync(process.execPath, ['bin/chronicle.js', ...args], {
      encoding: 'utf8',
      env: { ...process.env, CHRONICLE_DATA_DIR: '', NO_COLOR: '1' },
    })
  /** stdout and stderr both on one pseudo-terminal, as a person sees them. */
  const onTerminal = (args: string[]) => {
    const command = [process.execPath, 'bin/chronicle.js', ...args].map((a) => `'${a}'`).join(' ')
    return spawnSync('script', ['-qefc', command, '/dev/null'], { encoding: 'utf8' })
  }

  it.runIf(hasScript)('import on a terminal rewrites one line in place and clears it when done', () => {
    const dataDir = join(scratch.dir(), 'data')
    const seen = onTerminal(['import', samplesDir('roo-code', 'tasks'), '--data-dir', dataDir]).stdout
    expect(seen).toContain(`${CLEAR}Importing: `)
    const lastDrawn = seen.lastIndexOf('Importing: ')
    expect(seen.indexOf(CLEAR, lastDrawn)).toBeLessThan(seen.indexOf('Read roo|cline: '))
    expect(seen.slice(seen.lastIndexOf(CLEAR))).not.toContain('Importing')
  })

  it.runIf(hasScript)(
    'bad input: import --json on a terminal prints the JSON document and no progress',
    () => {
      const dataDir = join(scratch.dir(), 'data')
      const seen = onTerminal([
        'import',
        samplesDir('roo-code', 'tasks'),
        '--json',
        '--data-dir',
        dataDir,
      ]).stdout
      expect(seen).not.toContain('\x1b')
      expect(JSON.parse(seen)).toMatchObject({ problems: [] })
    },
  )

  it('bad input: stderr in a pipe: import without --json writes no progress bytes', () => {
    const dataDir = join(scratch.dir(), 'data')
    const result = chronicle(['import', samplesDir('roo-code', 'tasks'), '--data-dir', dataDir])
    expect(result.status).toBe(0)
    expect(result.stderr).toBe('')
    expect(result.stdout).not.toContain('\x1b')
  })
})
