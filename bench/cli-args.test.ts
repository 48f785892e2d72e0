import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseBenchArgs } from './cli-args'
import { SCENARIOS } from './scenarios'

describe('npm run bench arguments', () => {
  it('takes no profiles unless asked, and a profile folder as an absolute path', () => {
    expect(parseBenchArgs(['ui'], SCENARIOS)).toMatchObject({ cpuProfileDir: null, keep: false })
    expect(parseBenchArgs(['ui', '--cpu-prof', 'prof'], SCENARIOS)).toMatchObject({
      cpuProfileDir: resolve('prof'),
    })
  })

  it('says what is wrong with bad input: a profile option without its folder, an unknown option', () => {
    expect(parseBenchArgs(['ui', '--cpu-prof'], SCENARIOS)).toMatch(
      /--cpu-prof.*usage: npm run bench.*--cpu-prof DIR/,
    )
    expect(parseBenchArgs(['ui', '--profile'], SCENARIOS)).toMatch(/--profile.*usage: npm run bench/)
  })
})
