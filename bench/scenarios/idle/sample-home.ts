/**
 * A home folder holding the sample histories (../shared/samples) where Chronicle's discovery looks by default on
 * Linux: Claude Code's projects, Roo Code's VS Code globalStorage and the Cline SDK's data folder. `chronicle
 * serve` started with it as HOME watches all three.
 */
import { cpSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { samplesDir } from '../../../src/main/import/test-support/samples'

export function writeSampleHome(home: string): readonly string[] {
  const places = [
    { from: samplesDir('claude-code', 'projects'), to: join(home, '.claude', 'projects') },
    {
      from: samplesDir('roo-code', 'tasks'),
      to: join(home, '.config', 'Code', 'User', 'globalStorage', 'rooveterinaryinc.roo-cline', 'tasks'),
    },
    { from: samplesDir('cline-sdk', 'sessions'), to: join(home, '.cline', 'data', 'sessions') },
  ]
  for (const { from, to } of places) {
    mkdirSync(to, { recursive: true })
    cpSync(from, to, { recursive: true })
  }
  return places.map((p) => p.to)
}
