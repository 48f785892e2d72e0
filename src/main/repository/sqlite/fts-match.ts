/**
 * Compiles a parsed search to an FTS5 MATCH expression made only of quoted strings, AND and NOT: every word
 * reaches FTS5 as a string, so no input can be read as an FTS operator.
 */
import type { ParsedSearch, SearchTerm } from '../../../shared/search/search-query'

const quote = (text: string): string => `"${text.replaceAll('"', '""')}"`

function termToFts(term: SearchTerm): string {
  const phrase = quote(term.tokens.join(' '))
  return term.kind === 'prefix' ? `${phrase}*` : phrase
}

export function toFtsMatch(query: ParsedSearch): string {
  const include = query.include.map(termToFts).join(' AND ')
  return query.exclude.reduce((expr, term) => `${expr} NOT ${termToFts(term)}`, include)
}
