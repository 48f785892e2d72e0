/**
 * Where the assistants keep their history on this machine, per OS: the VS Code family's globalStorage for the
 * Roo Code and Cline extensions (VS Code, Insiders, Cursor, VSCodium, Windsurf), Roo's custom storage path
 * setting, ~/.claude/projects for Claude Code and ~/.cline/data for the Cline SDK. Only folders that exist are
 * returned; nothing here reads history files.
 */
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Source } from '../../shared/domain'

export interface DiscoveredLocation {
  readonly source: Source
  /** Which adapter reads it: the Cline SDK and the Cline extension share a source but not a format. */
  readonly format: 'roo' | 'cline' | 'cline-sdk' | 'claude-code'
  readonly path: string
}

const EDITORS = ['Code', 'Code - Insiders', 'Cursor', 'VSCodium', 'Windsurf']
const ROO_EXTENSION = 'rooveterinaryinc.roo-cline'
const CLINE_EXTENSION = 'saoudrizwan.claude-dev'

export interface DiscoveryEnvironment {
  readonly platform: NodeJS.Platform
  readonly home: string
  readonly env: NodeJS.ProcessEnv
}

const currentEnvironment = (): DiscoveryEnvironment => ({
  platform: process.platform,
  home: homedir(),
  env: process.env,
})

function editorUserDirs({ platform, home, env }: DiscoveryEnvironment): string[] {
  const base =
    platform === 'win32'
      ? (env.APPDATA ?? join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? join(home, '.config'))
  return EDITORS.map((editor) => join(base, editor, 'User'))
}

/** VS Code's settings.json allows comments and trailing commas; read just the one setting, best effort. */
function customRooStoragePath(userDir: string): string | null {
  try {
    const text = readFileSync(join(userDir, 'settings.json'), 'utf8')
    const match = /"roo-cline\.customStoragePath"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text)
    return match?.[1] ? (JSON.parse(`"${match[1]}"`) as string) : null
  } catch {
    return null
  }
}

export function discoverLocations(
  environment: DiscoveryEnvironment = currentEnvironment(),
): DiscoveredLocation[] {
  const found: DiscoveredLocation[] = []
  for (const userDir of editorUserDirs(environment)) {
    found.push({ source: 'roo', format: 'roo', path: join(userDir, 'globalStorage', ROO_EXTENSION) })
    found.push({ source: 'cline', format: 'cline', path: join(userDir, 'globalStorage', CLINE_EXTENSION) })
    const custom = customRooStoragePath(userDir)
    if (custom) found.push({ source: 'roo', format: 'roo', path: custom })
  }
  // An empty variable counts as unset, as shells treat it.
  const claudeHome = environment.env.CLAUDE_CONFIG_DIR || join(environment.home, '.claude')
  found.push({ source: 'claude-code', format: 'claude-code', path: join(claudeHome, 'projects') })
  found.push({ source: 'cline', format: 'cline-sdk', path: join(environment.home, '.cline', 'data') })
  return found.filter((location) => existsSync(location.path))
}
