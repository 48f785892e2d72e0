import { describe, expect, it } from 'vitest'
import { findInText } from './find-in-text'
import { parseSearchQuery } from './search-query'

/** The words the ranges cover, for assertions that read like the text. */
function found(text: string, query: string): string[] {
  const parsed = parseSearchQuery(query)
  if (!parsed.ok) throw new Error(parsed.error.message)
  return findInText(text, parsed.value).map((r) => text.slice(r.start, r.end))
}

describe('findInText', () => {
  it('finds every occurrence of a word, whole words only, case and accents ignored', () => {
    expect(found('Migración, migracion y MIGRACIÓN; migraciones no.', 'migracion')).toEqual([
      'Migración',
      'migracion',
      'MIGRACIÓN',
    ])
    expect(found("L'élève corrige l'eleve", 'ÉLÈVE')).toEqual(['élève', 'eleve'])
  })

  it('finds accented text from an accented query written in decomposed form', () => {
    expect(found('café', 'cafe\u0301')).toEqual(['café'])
  })

  it('takes a prefix at any word start, and a phrase only with its words in order', () => {
    expect(found('connect, connection and reconnect', 'conn*')).toEqual(['connect', 'connection'])
    expect(found('the pool leaks; pool the leaks', '"pool leaks"')).toEqual(['pool leaks'])
    expect(found('foo-bar and foo bar', 'foo-bar')).toEqual(['foo-bar', 'foo bar'])
  })

  it('marks each term of a query, in text order, and ignores excluded terms and filters', () => {
    expect(found('leak in the pool, then another leak', 'pool leak -timeout role:user')).toEqual([
      'leak',
      'pool',
      'leak',
    ])
  })

  it('counts a phrase once, not once per word, and lets the longer of two overlapping terms win', () => {
    expect(found('pool leak pool', 'pool "pool leak"')).toEqual(['pool leak', 'pool'])
  })

  it('finds Chinese and Japanese as substrings, and Latin words next to them', () => {
    expect(found('请把数据库连接池迁移到新的数据库。', '数据库')).toEqual(['数据库', '数据库'])
    expect(found('我们使用React开发', 'react')).toEqual(['React'])
    expect(found('データベースの移行', 'データ')).toEqual(['データ'])
  })

  it('returns nothing for empty text or a word that is not there', () => {
    expect(found('', 'pool')).toEqual([])
    expect(found('a swimming pool', 'leak')).toEqual([])
  })
})
