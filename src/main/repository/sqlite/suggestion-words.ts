/**
 * The word-level half of "Did you mean": folding a word the way the index folds it, the edit distance between two
 * words, and putting corrected words back into the query the user wrote. Pure; the SQL half is
 * search-suggestions.ts.
 */

/** Case and accents as the index's tokenizer (unicode61, remove_diacritics 2) drops them. */
export function foldWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

/**
 * Damerau-Levenshtein distance in its "optimal string alignment" form (a swap of two neighbours is one edit, the
 * commonest typing slip), or `max + 1` as soon as the distance is known to exceed `max`: the vocabulary holds
 * hundreds of thousands of words, and nearly all of them are rejected after a row or two.
 */
export function editDistance(a: string, b: string, max: number): number {
  const s = [...a]
  const t = [...b]
  if (Math.abs(s.length - t.length) > max) return max + 1
  let beforePrevious: number[] = []
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j)
  for (let i = 1; i <= s.length; i++) {
    const current = [i]
    let rowMin = i
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        d = Math.min(d, beforePrevious[j - 2]! + 1)
      }
      current.push(d)
      rowMin = Math.min(rowMin, d)
    }
    if (rowMin > max) return max + 1
    beforePrevious = previous
    previous = current
  }
  return Math.min(previous[t.length]!, max + 1)
}

const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu
const FILTER = /^-?[A-Za-z]+:/
const FILTER_KEYS = new Set(['workspace', 'source', 'role', 'model', 'before', 'after', 'is'])

/**
 * The query with each searched word that `replace` knows swapped for its correction, everything else (filters,
 * -exclusions, quotes, stars, spacing) left exactly as written, so the suggestion runs the same search with
 * the words fixed.
 */
export function rewriteQuery(input: string, replace: ReadonlyMap<string, string>): string {
  let out = ''
  let i = 0
  while (i < input.length) {
    const space = /^\s+/.exec(input.slice(i))
    if (space) {
      out += space[0]
      i += space[0].length
      continue
    }
    const end = chunkEnd(input, i)
    const chunk = input.slice(i, end)
    const filter = FILTER.exec(chunk)
    const kept =
      chunk.startsWith('-') || (filter && FILTER_KEYS.has(filter[0].replace(/[-:]/g, '').toLowerCase()))
    out += kept ? chunk : chunk.replace(WORD, (word) => replace.get(foldWord(word)) ?? word)
    i = end
  }
  return out
}

/** Where the chunk starting at `start` ends: at the next space, or past the closing quote of a phrase. */
function chunkEnd(input: string, start: number): number {
  const quote = /^-?(?:[A-Za-z]+:)?"/.exec(input.slice(start, start + 14))
  if (quote) {
    const close = input.indexOf('"', start + quote[0].length)
    return close === -1 ? input.length : close + 1
  }
  const space = input.slice(start).search(/\s/)
  return space === -1 ? input.length : start + space
}
