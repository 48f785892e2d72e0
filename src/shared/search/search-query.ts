/**
 * Chronicle's search language, parsed without any knowledge of SQL:
 *   words            all must match (accents and case ignored)
 *   "exact phrase"   the words in this order
 *   prefix*          any word starting with prefix
 *   -word, -"phrase" must not match
 *   key:value        filters: workspace: source: role: model: before: after: is:starred is:archived
 * Anything else is taken literally, so no input can reach the index as an operator.
 *
 * As you type, the last word is still being written: `migra` is on its way to `migration`, so it is read as
 * `migra*` until a space ends it. Only a plain word gets this: a quoted phrase, a filter value and an exclusion
 * are matched as written (an exclusion read as a prefix would hide results on every half-typed letter).
 */
import { ROLES, SOURCES, type Role, type Source } from '../domain'
import { fail, ok, type Result } from '../result'
import { isCjkCharacter, queryTokens } from './search-text'

export type SearchTermKind = 'word' | 'phrase' | 'prefix'

export interface SearchTerm {
  readonly kind: SearchTermKind
  /** Index tokens, already split the way the index splits text. Never empty. */
  readonly tokens: readonly string[]
  /** The last word, still being typed: a prefix that the index may complete to its most frequent words. */
  readonly typed?: true
}

export interface SearchFilters {
  readonly workspace?: string
  readonly source?: Source
  readonly role?: Role
  readonly model?: string
  /** Epoch ms, exclusive. */
  readonly before?: number
  /** Epoch ms, inclusive. */
  readonly after?: number
  readonly starred?: boolean
  readonly archived?: boolean
}

export interface ParsedSearch {
  readonly include: readonly SearchTerm[]
  readonly exclude: readonly SearchTerm[]
  readonly filters: SearchFilters
}

export interface ParseOptions {
  /** The query is being typed: its last word, unless a space follows it, is a prefix. */
  readonly asYouType?: boolean
}

export type SearchQueryErrorCode = 'EMPTY_QUERY' | 'QUERY_TOO_LONG' | 'TOO_MANY_TERMS' | 'INVALID_FILTER'

export const MAX_QUERY_CHARS = 1_000
export const MAX_QUERY_TERMS = 32

interface RawToken {
  readonly negated: boolean
  readonly key: string | null
  readonly value: string
  readonly quoted: boolean
}

const FILTER_KEYS = new Set(['workspace', 'source', 'role', 'model', 'before', 'after', 'is'])

export function parseSearchQuery(
  input: string,
  options: ParseOptions = {},
): Result<ParsedSearch, SearchQueryErrorCode> {
  if (input.length > MAX_QUERY_CHARS) {
    return fail(
      'QUERY_TOO_LONG',
      `Search queries are limited to ${MAX_QUERY_CHARS} characters; this one has ${input.length}.`,
    )
  }
  const include: SearchTerm[] = []
  const exclude: SearchTerm[] = []
  let filters: SearchFilters = {}
  const typing = options.asYouType === true && input !== '' && !isSpace(input.at(-1))
  const tokens = [...tokenize(input)]
  for (const [index, token] of tokens.entries()) {
    if (token.key !== null) {
      if (token.negated) {
        return fail(
          'INVALID_FILTER',
          `-${token.key}: cannot be negated; remove the minus sign (filters only narrow a search).`,
        )
      }
      const applied = applyFilter(filters, token.key, token.value)
      if (!applied.ok) return applied
      filters = applied.value
      continue
    }
    const term = toTerm(token)
    if (!term) continue
    if (token.negated) exclude.push(term)
    else include.push(typing && index === tokens.length - 1 && !token.quoted ? beingTyped(term) : term)
  }
  if (include.length + exclude.length > MAX_QUERY_TERMS) {
    return fail('TOO_MANY_TERMS', `Search for at most ${MAX_QUERY_TERMS} words and phrases at a time.`)
  }
  if (include.length === 0) {
    return fail(
      'EMPTY_QUERY',
      exclude.length > 0 || Object.keys(filters).length > 0
        ? 'Add at least one word to search for; filters and -exclusions only narrow a search.'
        : 'Type a word or "a phrase" to search for.',
    )
  }
  return ok({ include, exclude, filters })
}

function* tokenize(input: string): Generator<RawToken> {
  let i = 0
  while (i < input.length) {
    while (i < input.length && isSpace(input[i])) i++
    if (i >= input.length) return
    let negated = false
    if (input[i] === '-' && i + 1 < input.length && !isSpace(input[i + 1])) {
      negated = true
      i++
    }
    let key: string | null = null
    const keyMatch = /^([A-Za-z]+):(?=\S)/.exec(input.slice(i, i + 12))
    if (keyMatch?.[1] && FILTER_KEYS.has(keyMatch[1].toLowerCase())) {
      key = keyMatch[1].toLowerCase()
      i += keyMatch[0].length
    }
    if (input[i] === '"') {
      // An unbalanced quote runs to the end of the input: the user meant a phrase and has not closed it yet.
      const close = input.indexOf('"', i + 1)
      const end = close === -1 ? input.length : close
      yield { negated, key, value: input.slice(i + 1, end), quoted: true }
      i = end + 1
    } else {
      const start = i
      while (i < input.length && !isSpace(input[i])) i++
      yield { negated, key, value: input.slice(start, i), quoted: false }
    }
  }
}

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/u.test(ch)
}

function toTerm(token: RawToken): SearchTerm | null {
  const prefix = !token.quoted && token.value.endsWith('*')
  const tokens = queryTokens(token.value)
  if (tokens.length === 0) return null
  if (prefix) return { kind: 'prefix', tokens }
  return { kind: token.quoted || tokens.length > 1 ? 'phrase' : 'word', tokens }
}

/**
 * The word being typed as a prefix. A Chinese or Japanese character is a whole index token already (see
 * search-text.ts), so a word ending in one gains nothing from a prefix and keeps its kind.
 */
function beingTyped(term: SearchTerm): SearchTerm {
  const last = term.tokens.at(-1) ?? ''
  if (term.kind === 'prefix' || isCjkCharacter(last)) return term
  return { kind: 'prefix', tokens: term.tokens, typed: true }
}

function applyFilter(
  filters: SearchFilters,
  key: string,
  rawValue: string,
): Result<SearchFilters, SearchQueryErrorCode> {
  const value = rawValue.trim()
  if (value === '') return fail('INVALID_FILTER', `${key}: needs a value, for example ${example(key)}.`)
  switch (key) {
    case 'workspace':
    case 'model':
      return ok({ ...filters, [key]: value })
    case 'source': {
      const source = SOURCES.find((s) => s === value.toLowerCase())
      return source
        ? ok({ ...filters, source })
        : fail('INVALID_FILTER', `source:${value} is not a known source; use one of ${SOURCES.join(', ')}.`)
    }
    case 'role': {
      const role = ROLES.find((r) => r === value.toLowerCase())
      return role
        ? ok({ ...filters, role })
        : fail('INVALID_FILTER', `role:${value} is not a role; use one of ${ROLES.join(', ')}.`)
    }
    case 'before':
    case 'after': {
      const at = parseDate(value)
      return at === null
        ? fail('INVALID_FILTER', `${key}:${value} is not a date; write it like ${example(key)}.`)
        : ok({ ...filters, [key]: at })
    }
    default: {
      const flag = value.toLowerCase()
      if (flag === 'starred' || flag === 'archived') return ok({ ...filters, [flag]: true })
      return fail('INVALID_FILTER', `is:${value} is not a flag; use is:starred or is:archived.`)
    }
  }
}

function example(key: string): string {
  if (key === 'before' || key === 'after') return `${key}:2025-01-31`
  if (key === 'is') return 'is:starred'
  if (key === 'source') return 'source:claude-code'
  if (key === 'role') return 'role:user'
  return `${key}:name`
}

/** Dates are UTC: YYYY, YYYY-MM, YYYY-MM-DD, or a full ISO-8601 time. */
export function parseDate(value: string): number | null {
  const partial = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(value)
  if (partial) {
    const [, y, m = '01', d = '01'] = partial
    const at = Date.UTC(Number(y), Number(m) - 1, Number(d))
    const check = new Date(at)
    return check.getUTCMonth() === Number(m) - 1 && check.getUTCDate() === Number(d) ? at : null
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return null
  const at = Date.parse(value)
  return Number.isNaN(at) ? null : at
}
