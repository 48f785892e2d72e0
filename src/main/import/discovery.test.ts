/** Default locations, laid out in a temporary home folder as each OS lays them out. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { discoverLocations } from './discovery'

const homes: string[] = []
const makeHome = (...dirs: string[]) => {
  const home = mkdtempSync(join(tmpdir(), 'chronicle-home-'))
  homes.push(home)
  for (const dir of dirs) mkdirSync(join(home, dir), { recursive: true })
  return home
}
afterEach(() => homes.splice(0).forEach((h) => rmSync(h, { recursive: true, force: true })))

describe('discoverLocations', () => {
  it('finds Roo and Cline in every VS Code family editor on Linux, plus Claude Code and the Cline SDK', () => {
    const home = makeHome(
      '.config/Code/User/globalStorage/rooveterinaryinc.roo-cline',
      '.config/Cursor/User/globalStorage/saoudrizwan.claude-dev',
      '.config/Windsurf/User/globalStorage/rooveterinaryinc.roo-cline',
      '.claude/projects',
      '.cline/data',
    )
    const found = discoverLocations({ platform: 'linux', home, env: {} })
    expect(found.map((l) => [l.format, l.path.slice(home.length)])).toEqual([
      ['roo', '/.config/Code/User/globalStorage/rooveterinaryinc.roo-cline'],
      ['cline', '/.config/Cursor/User/globalStorage/saoudrizwan.claude-dev'],
      ['roo', '/.config/Windsurf/User/globalStorage/rooveterinaryinc.roo-cline'],
      ['claude-code', '/.claude/projects'],
      ['cline-sdk', '/.cline/data'],
    ])
  })

  it('uses the macOS and Windows user-data folders', () => {
    const mac = makeHome(
      'Library/Application Support/Code - Insiders/User/globalStorage/saoudrizwan.claude-dev',
    )
    expect(discoverLocations({ platform: 'darwin', home: mac, env: {} })).toEqual([
      expect.objectContaining({ format: 'cline', source: 'cline' }),
    ])
    const win = makeHome('Roaming/VSCodium/User/globalStorage/rooveterinaryinc.roo-cline')
    expect(
      discoverLocations({ platform: 'win32', home: win, env: { APPDATA: join(win, 'Roaming') } }),
    ).toEqual([expect.objectContaining({ format: 'roo' })])
  })

  it("follows Roo's custom storage path setting, comments and all", () => {
    const home = makeHome('.config/Code/User', 'elsewhere/roo')
    writeFileSync(
      join(home, '.config/Code/User/settings.json'),
      `{\n  // mine\n  "roo-cline.customStoragePath": "${join(home, 'elsewhere/roo')}",\n}`,
    )
    expect(discoverLocations({ platform: 'linux', home, env: {} })).toEqual([
      { source: 'roo', format: 'roo', path: join(home, 'elsewhere/roo') },
    ])
  })

  it('honours CLAUDE_CONFIG_DIR and returns nothing where nothing exists', () => {
    const home = makeHome('custom-claude/projects')
    expect(
      discoverLocations({ platform: 'linux', home, env: { CLAUDE_CONFIG_DIR: join(home, 'custom-claude') } }),
    ).toEqual([{ source: 'claude-code', format: 'claude-code', path: join(home, 'custom-claude/projects') }])
    expect(discoverLocations({ platform: 'linux', home: makeHome(), env: {} })).toEqual([])
  })
})
