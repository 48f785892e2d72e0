/**
 * Where a parsed search matches inside one text, as character ranges: the occurrences that find-in-conversation
 * counts on the main side and paints in the reader. Both sides call this one function, so "3 of 41" counts the
 * same occurrences the reader highlights.
 *
 * It reads text the way the index does (search-text.ts and the unicode61 tokenizer with remove_diacritics 2):
 * words are runs of letters, digits and marks, Chinese and Japanese characters are words of their own, and case
 * and accents are ignored. Which messages match at all (every word present, no excluded one, the filters) is the
 * index's decision; here only the included terms are located.
 */
import type { ParsedSearch, SearchTerm } from './search-query'
import { queryTokens } from './search-text'

export interface TextRange {
  readonly start: number
  readonly end: number
}

interface Token extends TextRange {
  readonly folded: string
}

const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u

/** Case and accents folded away, as the index folds them. */
export const foldForMatch = (word: string): string =>
  word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()

/** The text's words with their places; a run that mixes CJK with other letters splits at every CJK character. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  for (const match of text.matchAll(WORD)) {
    const run = match[0]
    const at = match.index
    if (!CJK_CHAR.test(run)) {
      tokens.push({ start: at, end: at + run.length, folded: foldForMatch(run) })
      continue
    }
    let start = 0
    const chars = Array.from(run)
    let offset = 0
    const flush = (end: number) => {
      if (end > start)
        tokens.push({ start: at + start, end: at + end, folded: foldForMatch(run.slice(start, end)) })
    }
    for (const ch of chars) {
      if (CJK_CHAR.test(ch)) {
        flush(offset)
        tokens.push({ start: at + offset, end: at + offset + ch.length, folded: foldForMatch(ch) })
        start = offset + ch.length
      }
      offset += ch.length
    }
    flush(offset)
  }
  return tokens
}

/** A term's tokens folded, with whether its last one is a prefix. */
function compile(term: SearchTerm): { readonly words: readonly string[]; readonly prefix: boolean } {
  const words = term.tokens
    .flatMap((t) => queryTokens(t))
    .map(foldForMatch)
    .filter((w) => w !== '')
  return { words, prefix: term.kind === 'prefix' }
}

/**
 * Every occurrence of the search's included terms in `text`, in order and without overlaps (where two terms
 * overlap, the one starting first wins, as a reader expects one highlight there).
 */
export function findInText(text: string, search: Pick<ParsedSearch, 'include'>): TextRange[] {
  if (text === '' || search.include.length === 0) return []
  const tokens = tokenize(text)
  const terms = search.include.map(compile).filter((t) => t.words.length > 0)
  const found: TextRange[] = []
  for (let i = 0; i < tokens.length; i++) {
    let longest: TextRange | null = null
    for (const { words, prefix } of terms) {
      const last = i + words.length - 1
      if (last >= tokens.length) continue
      const fits = words.every((word, k) => {
        const token = tokens[i + k]!.folded
        return prefix && k === words.length - 1 ? token.startsWith(word) : token === word
      })
      if (!fits) continue
      const range = { start: tokens[i]!.start, end: tokens[last]!.end }
      if (!longest || range.end > longest.end) longest = range
    }
    if (!longest) continue
    found.push(longest)
    // Skip the tokens this occurrence covers, so a phrase is one occurrence, not one per word.
    while (i + 1 < tokens.length && tokens[i + 1]!.start < longest.end) i++
  }
  return found
}
