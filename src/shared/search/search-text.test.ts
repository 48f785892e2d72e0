import { describe, expect, it } from 'vitest'
import { fromSearchText, isCjkCharacter, MAX_INDEXED_CHARS, queryTokens, toSearchText } from './search-text'

const ZERO_WIDTH_SPACE = '\u200b'

describe('toSearchText / fromSearchText', () => {
  it.each([
    '我们需要把数据库迁移到新的服务器。',
    '我们使用React开发前端应用',
    'データベースの移行',
    'ひらがなとカタカナ',
    '混合 text 与 English, 数字 42 和 emoji 🙂',
  ])('segments CJK for the index and round-trips to the original: %s', (text) => {
    const indexed = toSearchText(text)
    expect(indexed).toContain(ZERO_WIDTH_SPACE)
    expect(fromSearchText(indexed)).toBe(text)
  })

  it('separates every CJK character from its neighbours, including Latin words and ー', () => {
    expect(toSearchText('用React开发').split(ZERO_WIDTH_SPACE)).toEqual(['用', 'React', '开', '发'])
    expect(toSearchText('データ').split(ZERO_WIDTH_SPACE)).toEqual(['デ', 'ー', 'タ'])
  })

  it('leaves text without CJK exactly as it is, accents and all', () => {
    for (const text of ["L'élève a réussi l'épreuve", 'Почему запрос медленный?', 'naïve café — Ελληνικά']) {
      expect(toSearchText(text)).toBe(text)
      expect(fromSearchText(text)).toBe(text)
    }
  })

  it(`caps the indexed text at MAX_INDEXED_CHARS (${MAX_INDEXED_CHARS}) characters`, () => {
    const long = 'abcd '.repeat(MAX_INDEXED_CHARS)
    expect(toSearchText(long)).toHaveLength(MAX_INDEXED_CHARS)
    expect(toSearchText(long)).toBe(long.slice(0, MAX_INDEXED_CHARS))
    expect(toSearchText('x'.repeat(MAX_INDEXED_CHARS))).toHaveLength(MAX_INDEXED_CHARS)
  })

  it('caps CJK text before segmenting, so the cap counts original characters', () => {
    const indexed = toSearchText('数'.repeat(MAX_INDEXED_CHARS + 10))
    expect(fromSearchText(indexed)).toHaveLength(MAX_INDEXED_CHARS)
  })
})

describe('queryTokens', () => {
  it.each([
    ['migration', ['migration']],
    ['foo-bar', ['foo', 'bar']],
    ['http://example.com/a', ['http', 'example', 'com', 'a']],
    ['élève', ['élève']],
    ['e\u0301le\u0300ve', ['e\u0301le\u0300ve']],
    ['данных', ['данных']],
    ['数据库', ['数', '据', '库']],
    ['用React', ['用', 'React']],
    ['v2.1', ['v2', '1']],
    ['^*()"', []],
    ['', []],
  ])('%j splits into %j', (word, tokens) => {
    expect(queryTokens(word)).toEqual(tokens)
  })
})

describe('isCjkCharacter', () => {
  it.each(['服', 'デ', 'ひ'])('%s is one CJK character: a whole index token', (token) => {
    expect(isCjkCharacter(token)).toBe(true)
  })

  it.each(['服务', 'React', 'é', 'ー', '', '한'])('%j is not', (token) => {
    expect(isCjkCharacter(token)).toBe(false)
  })
})
