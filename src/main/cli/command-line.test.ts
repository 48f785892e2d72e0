/**
 * Each `chronicle` command takes its own options and no others, and its help lists exactly those. The options each
 * command takes are written out here by hand, so a wrong entry in command-specs.ts fails a test.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../repository/test-support/scratch'
import { readCommandLine } from './command-line'
import { OPTION_SPECS } from './option-specs'
import { main } from './main'
import type { Output } from './terminal'

const scratch = useScratch()

/** Every command's options, in the order its refusal lists them (help is left out of that list). */
const TAKES: Record<string, readonly string[]> = {
  stats: ['data-dir', 'json'],
  usage: ['data-dir', 'json', 'since', 'until', 'by'],
  search: ['data-dir', 'json', 'limit', 'cursor'],
  import: ['data-dir', 'source', 'json'],
  watch: ['data-dir', 'source', 'json'],
  serve: ['data-dir', 'port', 'open', 'no-watch'],
  simulate: ['data-dir', 'json', 'devices', 'rate'],
  'audit export': [
    'data-dir',
    'json',
    'format',
    'since',
    'until',
    'device',
    'action',
    'conversation',
    'out',
    'include-content',
    'redact',
  ],
  'audit verify': ['data-dir', 'json', 'digest', 'key', 'fingerprint', 'db'],
  'audit key': ['data-dir', 'json'],
}
const EVERY_OPTION = [...new Set(OPTION_SPECS.map((o) => o.name))]
const takesValue = (name: string) => OPTION_SPECS.some((o) => o.name === name && o.type === 'string')

async function run(argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const output: Output = { out: (t) => out.push(t), err: (t) => err.push(t), color: false }
  const code = await main(argv, output)
  return { code, out: out.join('\n'), err }
}

/** The long names in the Options section of a help text. */
function helpOptions(help: string): string[] {
  const lines = help.split('\n')
  const start = lines.indexOf('Options:')
  const end = lines.indexOf('', start)
  return lines
    .slice(start + 1, end === -1 ? undefined : end)
    .flatMap((line) => /^ {2}(?:-\w, )?--([\w-]+)/.exec(line)?.[1] ?? [])
}

describe('chronicle options, per command', () => {
  it('bad input: stats --redact (an audit export option) exits 2 naming what stats takes', async () => {
    const dataDir = join(scratch.dir(), 'data')
    const result = await run(['stats', '--redact', '--data-dir', dataDir])
    expect(result.code).toBe(2)
    expect(result.err).toEqual([
      'chronicle stats: unknown option --redact; stats takes --data-dir, --json (see chronicle stats --help)',
    ])
    expect(existsSync(dataDir)).toBe(false)
  })

  it.each(Object.entries(TAKES))('%s --help lists exactly its options', async (command, takes) => {
    const result = await run([...command.split(' '), '--help'])
    expect(result.code).toBe(0)
    expect(result.out).toContain(`Usage: chronicle ${command}`)
    expect(helpOptions(result.out).sort()).toEqual([...takes, 'help'].sort())
  })

  it('chronicle --help lists every option, and audit --help those of its subcommands', async () => {
    const all = await run(['--help'])
    // --json is listed twice: what it prints differs between commands that end and commands that stream.
    expect(helpOptions(all.out).sort()).toEqual([...EVERY_OPTION, 'json'].sort())
    expect(all.out).toContain('Search language:')
    expect(all.out).toMatch(/--redact +audit export: mask/)
    const audit = await run(['audit', '--help'])
    expect(audit.code).toBe(0)
    const auditTakes = new Set([...TAKES['audit export']!, ...TAKES['audit verify']!, 'help'])
    expect(helpOptions(audit.out).sort()).toEqual([...auditTakes].sort())
  })

  it.each(Object.entries(TAKES))(
    'bad input: %s given each option only other commands take is refused, before anything runs',
    async (command, takes) => {
      const dataDir = join(scratch.dir(), 'data')
      const others = EVERY_OPTION.filter((o) => o !== 'help' && !takes.includes(o))
      expect(others.length).toBeGreaterThan(0)
      for (const option of others) {
        const given = [`--${option}`, ...(takesValue(option) ? ['x'] : [])]
        const result = await run([...command.split(' '), ...given, '--data-dir', dataDir])
        expect(result.code, `${command} --${option}`).toBe(2)
        expect(result.err).toEqual([
          `chronicle ${command}: unknown option --${option}; ${command} takes ` +
            `${takes.map((o) => `--${o}`).join(', ')} (see chronicle ${command} --help)`,
        ])
      }
      expect(existsSync(dataDir)).toBe(false)
    },
  )

  it('bad input: a misplaced or misspelt option, a stray word and a missing value exit 2 with one line', async () => {
    const before = await run(['--redact', 'stats'])
    expect(before.err).toEqual([expect.stringContaining('chronicle stats: unknown option --redact;')])
    const short = await run(['search', 'x', '-x'])
    expect(short.err).toEqual([expect.stringContaining('chronicle search: unknown option -x;')])
    const alone = await run(['--colour'])
    expect(alone).toMatchObject({
      code: 2,
      err: ['chronicle: unknown option --colour (see chronicle --help)'],
    })
    const stray = await run(['stats', 'everything'])
    expect(stray.code).toBe(2)
    expect(stray.err).toEqual([
      'chronicle stats: unexpected argument "everything"; stats takes none (see chronicle stats --help)',
    ])
    const missing = await run(['search', 'x', '--limit'])
    expect(missing.code).toBe(2)
    expect(missing.err).toEqual([
      expect.stringMatching(/^chronicle search: .*--limit.*chronicle search --help/),
    ])
    const noSub = await run(['audit', '--json'])
    expect(noSub.err).toEqual([expect.stringContaining('audit needs a subcommand: export, verify or key')])
  })

  it('each command accepts all its own options and hands them to the command as CliOptions', () => {
    const dataDir = scratch.dir()
    const cases: [argv: string[], args: string[], options: Record<string, unknown>][] = [
      [['stats', '--json'], [], { json: true }],
      [
        ['search', 'pool', '--limit', '5', 'leak', '--cursor', 'c1'],
        ['pool', 'leak'],
        { limit: '5', cursor: 'c1' },
      ],
      [['import', 'a', 'b', '--source', 'roo', '--json'], ['a', 'b'], { source: 'roo', json: true }],
      [['watch', 'a', '--source', 'cline', '--json'], ['a'], { source: 'cline', json: true }],
      [
        ['serve', '--port', '0', '--open', '--no-watch'],
        [],
        { port: '0', open: true, noWatch: true, json: false },
      ],
      [['simulate', '--devices', '2', '--rate', '3', '--json'], [], { devices: '2', rate: '3', json: true }],
      [
        [
          'audit',
          'export',
          '--format',
          'csv',
          '--since',
          '2025-01-01',
          '--until',
          '2025-02-01',
          '--device',
          'd',
        ],
        ['export'],
        { format: 'csv', since: '2025-01-01', until: '2025-02-01', device: 'd', redact: false },
      ],
      [
        [
          'audit',
          'export',
          '--action',
          'A',
          '--conversation',
          'c',
          '--out',
          'f',
          '--include-content',
          '--redact',
        ],
        ['export'],
        { action: 'A', conversation: 'c', out: 'f', includeContent: true, redact: true },
      ],
      [
        ['audit', 'verify', 'f', '--digest', 'g', '--key', 'k', '--fingerprint', 'fp', '--json'],
        ['verify', 'f'],
        { digest: 'g', key: 'k', fingerprint: 'fp', db: false },
      ],
      [['audit', 'verify', '--db'], ['verify'], { db: true }],
      [['audit', 'key', '--json'], ['key'], { json: true }],
    ]
    for (const [argv, args, options] of cases) {
      expect(readCommandLine([...argv, '--data-dir', dataDir]), argv.join(' ')).toEqual({
        kind: 'run',
        command: argv[0],
        args,
        options: expect.objectContaining({ dataDir, ...options }),
      })
    }
  })
})
