import { describe, expect, it } from 'vitest'
import type { Result } from '../result'
import { MAX_QUERY_CHARS, MAX_QUERY_TERMS, parseSearchQuery, type ParsedSearch } from './search-query'

function parsed(input: string): ParsedSearch {
  const result = parseSearchQuery(input)
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to parse, got ${result.error.code}`)
  return result.value
}

function failure(result: Result<unknown>): { code: string; message: string } {
  if (result.ok) throw new Error('expected a failure')
  return result.error
}

const UTC = (iso: string): number => Date.parse(iso)

describe('parseSearchQuery: terms', () => {
  it('splits plain words into separate word terms, all required', () => {
    expect(parsed('sqlite migration')).toEqual({
      include: [
        { kind: 'word', tokens: ['sqlite'] },
        { kind: 'word', tokens: ['migration'] },
      ],
      exclude: [],
      filters: {},
    })
  })

  it('keeps a quoted phrase as one ordered phrase term', () => {
    expect(parsed('"rollout undo" deployment').include).toEqual([
      { kind: 'phrase', tokens: ['rollout', 'undo'] },
      { kind: 'word', tokens: ['deployment'] },
    ])
  })

  it('reads a trailing * as a prefix, but not inside quotes', () => {
    expect(parsed('migr*').include).toEqual([{ kind: 'prefix', tokens: ['migr'] }])
    expect(parsed('"migr*"').include).toEqual([{ kind: 'phrase', tokens: ['migr'] }])
  })

  it('moves -word and -"phrase" to the exclusions', () => {
    const query = parsed('deploy -staging -"dry run"')
    expect(query.include).toEqual([{ kind: 'word', tokens: ['deploy'] }])
    expect(query.exclude).toEqual([
      { kind: 'word', tokens: ['staging'] },
      { kind: 'phrase', tokens: ['dry', 'run'] },
    ])
  })

  it('treats a lone minus as nothing rather than an exclusion of the next word', () => {
    expect(parsed('a - b')).toMatchObject({ include: [{ tokens: ['a'] }, { tokens: ['b'] }], exclude: [] })
  })

  it('turns a word with punctuation inside into a phrase of its parts', () => {
    expect(parsed('foo-bar').include).toEqual([{ kind: 'phrase', tokens: ['foo', 'bar'] }])
  })

  it('takes an unknown key:value (a URL) as a plain term, not a filter', () => {
    expect(parsed('http://x')).toEqual({
      include: [{ kind: 'phrase', tokens: ['http', 'x'] }],
      exclude: [],
      filters: {},
    })
    expect(parsed('color:red').include).toEqual([{ kind: 'phrase', tokens: ['color', 'red'] }])
  })

  it('runs an unbalanced quote to the end of the input as one phrase', () => {
    expect(parsed('error "cannot find module').include).toEqual([
      { kind: 'word', tokens: ['error'] },
      { kind: 'phrase', tokens: ['cannot', 'find', 'module'] },
    ])
  })

  it('keeps FTS5 operator words as literal tokens and drops operator characters', () => {
    const query = parsed('NEAR(a b) AND OR NOT ^x * ( ) : "c"')
    expect(query.include.map((t) => t.tokens)).toEqual([
      ['NEAR', 'a'],
      ['b'],
      ['AND'],
      ['OR'],
      ['NOT'],
      ['x'],
      ['c'],
    ])
    for (const term of query.include)
      for (const token of term.tokens) expect(token).toMatch(/^[\p{L}\p{N}]+$/u)
  })

  it('splits a CJK word into single characters, which then match as a phrase', () => {
    expect(parsed('数据库').include).toEqual([{ kind: 'phrase', tokens: ['数', '据', '库'] }])
  })
})

describe('parseSearchQuery: filters', () => {
  it.each([
    ['workspace:shop-backend', { workspace: 'shop-backend' }],
    ['workspace:"my project"', { workspace: 'my project' }],
    ['source:claude-code', { source: 'claude-code' }],
    ['Source:ROO', { source: 'roo' }],
    ['role:assistant', { role: 'assistant' }],
    ['model:sonnet', { model: 'sonnet' }],
    ['is:starred', { starred: true }],
    ['is:archived', { archived: true }],
    ['is:starred is:archived', { starred: true, archived: true }],
  ])('%s sets its filter', (filter, expected) => {
    expect(parsed(`word ${filter}`)).toEqual({
      include: [{ kind: 'word', tokens: ['word'] }],
      exclude: [],
      filters: expected,
    })
  })

  it.each([
    ['2025', '2025-01-01T00:00:00Z'],
    ['2025-03', '2025-03-01T00:00:00Z'],
    ['2024-02-29', '2024-02-29T00:00:00Z'],
    ['2025-03-04T05:06:07Z', '2025-03-04T05:06:07Z'],
    ['2025-03-04T05:06:07+02:00', '2025-03-04T03:06:07Z'],
  ])('before:%s and after:%s read as UTC', (value, iso) => {
    expect(parsed(`x before:${value}`).filters).toEqual({ before: UTC(iso) })
    expect(parsed(`x after:${value}`).filters).toEqual({ after: UTC(iso) })
  })

  it.each([
    ['source:vscode', 'source:vscode', 'roo'],
    ['role:robot', 'role:robot', 'assistant'],
    ['is:pinned', 'is:pinned', 'is:starred'],
    ['before:yesterday', 'before:yesterday', 'before:2025-01-31'],
    ['after:2025-02-30', 'after:2025-02-30', 'after:2025-01-31'],
    ['after:2025-13', 'after:2025-13', 'after:2025-01-31'],
    ['before:2025-01-31T99:00', 'before:2025-01-31T99:00', 'before:2025-01-31'],
    ['after:25-01-01', 'after:25-01-01', 'after:2025-01-31'],
    ['workspace:""', 'workspace: needs a value', 'workspace:name'],
    ['-source:roo', '-source: cannot be negated', 'remove the minus sign'],
    ['-is:starred', '-is: cannot be negated', 'remove the minus sign'],
  ])('%s is INVALID_FILTER with a message that names it and shows a fix', (filter, names, fix) => {
    const error = failure(parseSearchQuery(`word ${filter}`))
    expect(error.code).toBe('INVALID_FILTER')
    expect(error.message).toContain(names)
    expect(error.message).toContain(fix)
    expect(error.message).not.toContain('\n')
  })

  it('reads "key: value" with a space as two plain words, not an empty filter', () => {
    expect(parsed('source: roo')).toEqual({
      include: [
        { kind: 'word', tokens: ['source'] },
        { kind: 'word', tokens: ['roo'] },
      ],
      exclude: [],
      filters: {},
    })
  })
})

describe('parseSearchQuery: refused queries', () => {
  it.each(['', '   ', '\t\n ', '*', '"', '""', '( ) ^ :'])(
    '%j has nothing to search: EMPTY_QUERY',
    (input) => {
      expect(failure(parseSearchQuery(input)).code).toBe('EMPTY_QUERY')
    },
  )

  it.each(['source:roo', 'is:starred before:2025', '-word', '-"a phrase" role:user'])(
    '%j has only filters or exclusions: EMPTY_QUERY that says a word is needed',
    (input) => {
      const error = failure(parseSearchQuery(input))
      expect(error.code).toBe('EMPTY_QUERY')
      expect(error.message).toMatch(/at least one word/)
    },
  )

  it('refuses 10 KB of input with QUERY_TOO_LONG, naming the limit', () => {
    const error = failure(parseSearchQuery('lorem '.repeat(1_700)))
    expect(error.code).toBe('QUERY_TOO_LONG')
    expect(error.message).toContain(String(MAX_QUERY_CHARS))
  })

  it('accepts exactly the character limit', () => {
    expect(parseSearchQuery('a'.repeat(MAX_QUERY_CHARS)).ok).toBe(true)
  })

  it('refuses more than the term limit with TOO_MANY_TERMS, counting exclusions too', () => {
    const words = Array.from({ length: MAX_QUERY_TERMS }, (_, i) => `w${i}`)
    expect(parseSearchQuery(words.join(' ')).ok).toBe(true)
    expect(failure(parseSearchQuery([...words, 'one-more'].join(' '))).code).toBe('TOO_MANY_TERMS')
    expect(failure(parseSearchQuery([...words, '-excluded'].join(' '))).code).toBe('TOO_MANY_TERMS')
  })
})

describe('parseSearchQuery as you type: the last word is a prefix until a space ends it', () => {
  const typing = (input: string): ParsedSearch => {
    const result = parseSearchQuery(input, { asYouType: true })
    if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to parse, got ${result.error.code}`)
    return result.value
  }

  it('reads every step of typing "migra" as a prefix, so each keystroke can find migration', () => {
    for (const step of ['m', 'mi', 'mig', 'migr', 'migra']) {
      expect(typing(step).include).toEqual([{ kind: 'prefix', tokens: [step], typed: true }])
    }
  })

  it('matches the words before the last one as today, whole', () => {
    expect(typing('pool conn').include).toEqual([
      { kind: 'word', tokens: ['pool'] },
      { kind: 'prefix', tokens: ['conn'], typed: true },
    ])
  })

  it('takes a space after the last word as the end of it: the word is whole again', () => {
    expect(typing('migra ').include).toEqual([{ kind: 'word', tokens: ['migra'] }])
    expect(typing('pool conn\t').include).toEqual([
      { kind: 'word', tokens: ['pool'] },
      { kind: 'word', tokens: ['conn'] },
    ])
  })

  it('reads the word being typed as the written prefix does, marked as typed: "migra" is "migra*"', () => {
    const written = parsed('deploy migra*')
    expect(typing('deploy migra')).toEqual({
      ...written,
      include: [written.include[0], { ...written.include[1], typed: true }],
    })
    expect(typing('deploy migra*').include[1]).toEqual({ kind: 'prefix', tokens: ['migra'] })
  })

  it('leaves a quoted phrase as written, closed or still open', () => {
    expect(typing('"connection po"').include).toEqual([{ kind: 'phrase', tokens: ['connection', 'po'] }])
    expect(typing('"connection po').include).toEqual([{ kind: 'phrase', tokens: ['connection', 'po'] }])
  })

  it('keeps a half-typed exclusion whole, so results do not vanish on each letter', () => {
    expect(typing('pool -postg')).toMatchObject({
      include: [{ kind: 'word', tokens: ['pool'] }],
      exclude: [{ kind: 'word', tokens: ['postg'] }],
    })
  })

  it('makes the word before a filter a prefix only if it is last: a filter ends nothing', () => {
    expect(typing('conn source:roo').include).toEqual([{ kind: 'word', tokens: ['conn'] }])
    expect(typing('source:roo conn').include).toEqual([{ kind: 'prefix', tokens: ['conn'], typed: true }])
  })

  it('turns the last part of a punctuated word into the prefix of a phrase', () => {
    expect(typing('foo-ba').include).toEqual([{ kind: 'prefix', tokens: ['foo', 'ba'], typed: true }])
  })

  it('reads an accented word being typed as its unaccented prefix tokens, as the index does', () => {
    expect(typing('probl').include).toEqual([{ kind: 'prefix', tokens: ['probl'], typed: true }])
    expect(typing('élè').include).toEqual([{ kind: 'prefix', tokens: ['élè'], typed: true }])
  })

  it('leaves a Chinese word as it is: each character is a whole token already', () => {
    expect(typing('服务').include).toEqual([{ kind: 'phrase', tokens: ['服', '务'] }])
    expect(typing('用React').include).toEqual([{ kind: 'prefix', tokens: ['用', 'React'], typed: true }])
  })

  it('does nothing without asYouType: a written query is matched as written', () => {
    expect(parsed('migra').include).toEqual([{ kind: 'word', tokens: ['migra'] }])
  })

  it('still refuses what it refused: a lone exclusion or filter being typed is EMPTY_QUERY', () => {
    expect(failure(parseSearchQuery('-postg', { asYouType: true })).code).toBe('EMPTY_QUERY')
    expect(failure(parseSearchQuery('source:ro', { asYouType: true })).code).toBe('INVALID_FILTER')
  })
})
