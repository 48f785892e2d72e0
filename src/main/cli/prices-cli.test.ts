/**
 * `chronicle prices` as a user runs it (the real binary in child processes, real data directories): the bundled
 * table shown, a bad file refused by name with nothing changed (bad input: a file that is not JSON), a good one
 * used, recorded as a `v1.PricesChanged` event in the library's eventlog and kept across runs, then reset; while
 * another Chronicle holds the library (bad input: its lock), a change is refused naming the holder and Settings.
 */
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LOCK_FILE } from '../data-dir-lock'
import { useScratch } from '../repository/test-support/scratch'

const scratch = useScratch()

function chronicle(dataDir: string, args: string[]) {
  const result = spawnSync(process.execPath, ['bin/chronicle.js', ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

const TABLE = JSON.stringify({
  'claude-opus-4-6': {
    input_cost_per_token: 1e-5,
    output_cost_per_token: 5e-5,
    litellm_provider: 'anthropic',
  },
  'claude-sonnet-4-5': {
    input_cost_per_token: 3e-6,
    output_cost_per_token: 1.5e-5,
    litellm_provider: 'anthropic',
  },
})

describe('chronicle prices', () => {
  it('shows the bundled table, uses a chosen file (recorded in the trail), and goes back', async () => {
    const dataDir = scratch.dir()
    const shown = chronicle(dataDir, ['prices', '--json'])
    expect(shown.code).toBe(0)
    expect(JSON.parse(shown.stdout)).toMatchObject({ bundled: true, date: '2026-12-03', problem: null })

    const bad = join(scratch.dir(), 'prices.html')
    writeFileSync(bad, '<html>rate limited</html>')
    const refused = chronicle(dataDir, ['prices', 'use', bad])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`chronicle prices use: ${bad}: not a JSON file`)
    expect(JSON.parse(chronicle(dataDir, ['prices', '--json']).stdout)).toMatchObject({ bundled: true })

    const good = join(scratch.dir(), 'model_prices_and_context_window.json')
    writeFileSync(good, TABLE)
    const used = chronicle(dataDir, ['prices', 'use', good, '--json'])
    expect(used.stderr).toBe('')
    expect(used.code).toBe(0)
    expect(JSON.parse(used.stdout)).toMatchObject({
      before: { bundled: true },
      after: { bundled: false, source: good, models: 2 },
      responses: 0,
    })
    const human = chronicle(dataDir, ['prices'])
    expect(human.stdout).toContain(`Prices: chosen file: ${good}`)
    expect(human.stdout).toContain('Models: 2')

    const repository = scratch.open({ dataDir })
    const rows = await repository.db
      .selectFrom('hub_events')
      .select('args')
      .where('name', '=', 'v1.PricesChanged')
      .execute()
    expect(rows).toHaveLength(1)
    expect(JSON.parse(String(rows[0]?.args))).toMatchObject({ source: good, models: 2, actor: 'user' })
    await repository.close()

    const reset = chronicle(dataDir, ['prices', 'reset'])
    expect(reset.code).toBe(0)
    expect(reset.stdout).toMatch(/Prices are: {2}bundled table: LiteLLM/)
    expect(JSON.parse(chronicle(dataDir, ['prices', '--json']).stdout)).toMatchObject({ bundled: true })
  }, 120_000)

  it('refuses a change while the app holds the library, naming it and its Settings', () => {
    const dataDir = scratch.dir()
    // This test's own process stands in for the app: a live pid that is not the command's.
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: process.pid, holder: 'the Chronicle app' }))
    const good = join(scratch.dir(), 'prices.json')
    writeFileSync(good, TABLE)
    const refused = chronicle(dataDir, ['prices', 'use', good])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(
      `chronicle prices use: the Chronicle app (pid ${process.pid}) holds this library; change the prices in ` +
        'its Settings (Prices)',
    )
    expect(JSON.parse(chronicle(dataDir, ['prices', '--json']).stdout)).toMatchObject({ bundled: true })
    // Showing reads only: it works beside the app.
    expect(chronicle(dataDir, ['prices']).code).toBe(0)
  })

  it('says how to call it when the file is missing or a subcommand is unknown, and shows its family in help', () => {
    const dataDir = scratch.dir()
    const missing = chronicle(dataDir, ['prices', 'use'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('prices use takes one FILE')
    const unknown = chronicle(dataDir, ['prices', 'update'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('prices has no subcommand "update"; it has use or reset')
    // The family's help, from its own command: what `use` and `reset` do is what to learn next.
    const help = chronicle(dataDir, ['prices', '--help'])
    expect(help.stdout).toContain('Usage: chronicle prices [use|reset] [options]')
    expect(help.stdout).toContain('prices use FILE')
  })
})
