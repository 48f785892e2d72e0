import { EXIT, UsageError, intOption, withRepository, type CommandContext } from '../command-context'
import type { SearchSuggestion } from '../../../shared/api/contract'
import { renderSnippet } from '../terminal'

export async function searchCommand(context: CommandContext): Promise<number> {
  const { args, options, output } = context
  if (args.length === 0) throw new UsageError('give a query, for example: chronicle search "connection pool"')
  const query = args.join(' ')
  const limit = intOption(options.limit, 'limit', 1, 200) ?? 20
  const result = await withRepository(context, (repo) =>
    repo.search(query, { limit, cursor: options.cursor ?? null }),
  )
  if (!result.ok) {
    if (options.json) output.out(JSON.stringify({ error: result.error }))
    output.err(`chronicle search: ${result.error.message}`)
    return EXIT.failure
  }
  const { titleHits, hits, nextCursor, suggestions } = result.value
  if (options.json) {
    output.out(JSON.stringify({ query, titleHits, hits, nextCursor, suggestions }))
    return EXIT.ok
  }
  if (hits.length === 0 && titleHits.length === 0) {
    output.out(`No matches for ${query}.`)
    if (suggestions.length > 0) output.out(didYouMean(suggestions))
    return EXIT.ok
  }
  for (const hit of titleHits) {
    output.out(
      `Title: ${renderSnippet(hit.snippet, output.color)}  [${hit.source}${hit.workspace ? ` ${hit.workspace}` : ''}]`,
    )
    output.out(`  ${hit.conversationId}`)
  }
  if (titleHits.length > 0 && hits.length > 0) output.out('')
  for (const hit of hits) {
    const when = hit.createdAt === null ? '' : new Date(hit.createdAt).toISOString().slice(0, 10)
    const where = `#${hit.ordinal} ${hit.role}`
    output.out(
      `${hit.conversationTitle || '(untitled)'}  [${hit.source}${hit.workspace ? ` ${hit.workspace}` : ''}] ${when}`,
    )
    output.out(`  ${where}: ${renderSnippet(hit.snippet, output.color)}`)
    output.out(`  ${hit.conversationId} / ${hit.messageId}`)
  }
  if (nextCursor)
    output.out(`\nMore results: chronicle search ${JSON.stringify(query)} --cursor ${nextCursor}`)
  if (suggestions.length > 0) output.out(`\n${didYouMean(suggestions)}`)
  return EXIT.ok
}

/** `Did you mean "a", "b" or "c"?`, each quoted as it would be typed after `chronicle search`. */
function didYouMean(suggestions: readonly SearchSuggestion[]): string {
  const quoted = suggestions.map((s) => JSON.stringify(s.query))
  const last = quoted.pop() ?? ''
  return `Did you mean ${quoted.length > 0 ? `${quoted.join(', ')} or ${last}` : last}?`
}
