import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isPathInside, realPathInside } from './path-inside'

describe('isPathInside', () => {
  it('is true for the root and what lies below it', () => {
    expect(isPathInside('/home/ada', '/home/ada')).toBe(true)
    expect(isPathInside('/home/ada/.claude/projects', '/home/ada')).toBe(true)
    expect(isPathInside('/home/ada/..notes', '/home/ada')).toBe(true)
  })

  it('bad input: a sibling with the same prefix, `..` out of the root, the parent', () => {
    expect(isPathInside('/home/ada2/x', '/home/ada')).toBe(false)
    expect(isPathInside('/home/ada/../bob/x', '/home/ada')).toBe(false)
    expect(isPathInside('/home/ada/x/../../../etc/passwd', '/home/ada')).toBe(false)
    expect(isPathInside('/home', '/home/ada')).toBe(false)
  })
})

describe('realPathInside', () => {
  const base = mkdtempSync(join(tmpdir(), 'chronicle-inside-'))
  const home = join(base, 'home')
  const outside = join(base, 'outside')
  mkdirSync(join(home, 'history'), { recursive: true })
  mkdirSync(outside)
  writeFileSync(join(outside, 'secret'), 'x')
  symlinkSync(outside, join(home, 'link-out'))
  symlinkSync(join(home, 'history'), join(home, 'link-in'))
  afterAll(() => rmSync(base, { recursive: true, force: true }))

  it('answers the real path of what exists inside the root', async () => {
    expect(await realPathInside(join(home, 'history'), [home])).toBe(join(home, 'history'))
    expect(await realPathInside(join(home, 'link-in'), [home])).toBe(join(home, 'history'))
  })

  it('bad input: outside, missing, a link leading out and a relative path all answer null alike', async () => {
    expect(await realPathInside(outside, [home])).toBeNull()
    expect(await realPathInside(join(outside, 'missing'), [home])).toBeNull()
    expect(await realPathInside(join(home, 'missing'), [home])).toBeNull()
    expect(await realPathInside(join(home, 'link-out'), [home])).toBeNull()
    expect(await realPathInside(join(home, 'link-out', 'secret'), [home])).toBeNull()
    expect(await realPathInside('history', [home])).toBeNull()
  })
})
