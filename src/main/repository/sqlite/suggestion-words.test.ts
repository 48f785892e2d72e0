import { describe, expect, it } from 'vitest'
import { editDistance, foldWord, rewriteQuery } from './suggestion-words'

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours as one edit each', () => {
    expect(editDistance('migration', 'migration', 2)).toBe(0)
    expect(editDistance('migraton', 'migration', 2)).toBe(1)
    expect(editDistance('migrations', 'migration', 2)).toBe(1)
    expect(editDistance('migrasion', 'migration', 2)).toBe(1)
    expect(editDistance('mirgation', 'migration', 2)).toBe(1)
    expect(editDistance('mgiratoin', 'migration', 2)).toBe(2)
  })

  it('stops at max + 1 for anything farther', () => {
    expect(editDistance('mgrtn', 'migration', 2)).toBe(3)
    expect(editDistance('a', 'abcdefgh', 2)).toBe(3)
    expect(editDistance('kitten', 'sitting', 1)).toBe(2)
  })

  it('compares letters, not UTF-16 units', () => {
    expect(editDistance('𝒶bc', 'abc', 2)).toBe(1)
  })
})

describe('foldWord', () => {
  it('drops case and accents as the index does', () => {
    expect(foldWord('ÉLÈVE')).toBe('eleve')
    expect(foldWord('Straße')).toBe('straße')
  })
})

describe('rewriteQuery', () => {
  const fix = new Map([
    ['migraton', 'migration'],
    ['pol', 'pool'],
  ])

  it('swaps the searched words and keeps everything else as written', () => {
    expect(rewriteQuery('Migraton  pol*', fix)).toBe('migration  pool*')
    expect(rewriteQuery('"the migraton plan" pol', fix)).toBe('"the migration plan" pool')
  })

  it('leaves filter values and exclusions alone', () => {
    expect(rewriteQuery('migraton workspace:pol -pol -"pol migraton"', fix)).toBe(
      'migration workspace:pol -pol -"pol migraton"',
    )
    expect(rewriteQuery('source:"pol" migraton', fix)).toBe('source:"pol" migration')
  })

  it('reads a word with a colon that is no filter as words', () => {
    expect(rewriteQuery('note:pol', fix)).toBe('note:pool')
  })

  it('keeps an unclosed quote open', () => {
    expect(rewriteQuery('"migraton pol', fix)).toBe('"migration pool')
  })
})
