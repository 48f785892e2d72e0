/**
 * A conversation title from a prompt: the first line that says something, as plain text. Prompts are markdown, and
 * a title is shown and searched as text, so Roo's and Cline's wrappers and the markdown marks go.
 */

const MAX_TITLE_CHARS = 200

// Each mark with what it keeps: links and images keep their text, emphasis and code spans their content.
const MARKS: readonly (readonly [RegExp, string])[] = [
  [/!?\[([^\]\n]*)\]\([^)\n]*\)/g, '$1'],
  [/(`+)(.+?)\1/g, '$2'],
  [/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2'],
  [/(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])/g, '$1'],
  [/(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])/g, '$1'],
  [/~~(?=\S)(.+?)(?<=\S)~~/g, '$1'],
]

/** A line of markdown as the words it shows: no heading, quote or list marker, no emphasis, links as their text. */
export function plainLine(line: string): string {
  let text = line.replace(/^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+)+/, '')
  for (const [mark, kept] of MARKS) text = text.replace(mark, kept)
  return text.replace(/\s+#+\s*$/, '').trim()
}

export function titleFrom(text: string | undefined): string | undefined {
  if (!text) return undefined
  // The first user message of a task wraps the prompt in <task>…</task>, followed by <environment_details>.
  const body = /<task>([\s\S]*?)(?:<\/task>|$)/.exec(text)?.[1] ?? text
  for (const raw of body.split(/\r?\n/)) {
    const line = plainLine(raw)
    // A thematic break (---, ***) is a line of marks only.
    if (line === '' || /^[-*_=]{3,}$/.test(line)) continue
    const chars = Array.from(line) // code points, so an emoji is never cut in half
    return chars.length <= MAX_TITLE_CHARS ? line : `${chars.slice(0, MAX_TITLE_CHARS - 1).join('')}…`
  }
  return undefined
}
