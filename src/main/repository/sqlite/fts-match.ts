/**
 * Compiles a parsed search to an FTS5 MATCH expression made only of quoted strings, AND, OR and NOT: every word
 * reaches FTS5 as a string, so no input can be read as an FTS operator.
 */
import type { ParsedSearch, SearchTerm } from '../../../shared/search/search-query'
import type { Completions } from './typed-completions'

const quote = (text: string): string => `"${text.replaceAll('"', '""')}"`

function termToFts(term: SearchTerm, completions: Completions): string {
  const words = completions.get(term)
  if (words && words.length > 0) {
    // The word being typed as its completions: the same phrase with each whole word in the last place.
    const before = term.tokens.slice(0, -1)
    return `(${words.map((word) => quote([...before, word].join(' '))).join(' OR ')})`
  }
  const phrase = quote(term.tokens.join(' '))
  return term.kind === 'prefix' ? `${phrase}*` : phrase
}

/** `completions` replace a typed prefix by whole words (typed-completions.ts); without them every prefix is exact. */
export function toFtsMatch(query: ParsedSearch, completions: Completions = new Map()): string {
  const include = query.include.map((term) => termToFts(term, completions)).join(' AND ')
  return query.exclude.reduce((expr, term) => `${expr} NOT ${termToFts(term, completions)}`, include)
}
