/** A conversation title from a prompt: the first line that says something, without Roo's and Cline's wrappers. */

const MAX_TITLE_CHARS = 200

export function titleFrom(text: string | undefined): string | undefined {
  if (!text) return undefined
  // The first user message of a task wraps the prompt in <task>…</task>, followed by <environment_details>.
  const body = /<task>([\s\S]*?)(?:<\/task>|$)/.exec(text)?.[1] ?? text
  for (const raw of body.split(/\r?\n/)) {
    // A markdown heading marker is formatting, not part of the title.
    const line = raw.replace(/^\s*#{1,6}\s+/, '').trim()
    if (line === '') continue
    const chars = Array.from(line) // code points, so an emoji is never cut in half
    return chars.length <= MAX_TITLE_CHARS ? line : `${chars.slice(0, MAX_TITLE_CHARS - 1).join('')}…`
  }
  return undefined
}
