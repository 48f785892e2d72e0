/**
 * The user side of an API call as Roo and Cline write it: the `request` of a say:"api_req_started" row (the
 * content blocks as markdown, joined by blank lines) or the text blocks of a user item in the API history. Tool
 * output that only the model saw (file contents, search results) lives here and nowhere in the UI log, so it is read
 * out as tool results; the rest is the task prompt, the user's own words (which have UI rows of their own) and the
 * environment details the assistants append to every call.
 *
 * A tool result opens with its description, `[read_file for 'src/a.ts'] Result:` (the XML tool protocol; the
 * description may span lines, since it quotes a question or a subtask's message), or `[Tool]` / `[Tool (Error)]` on
 * a line of its own (the native protocol; Cline's first versions wrote `[Tool Result]`). It runs to the next one or
 * to the environment details, which close each user message.
 */
import {
  addEnvironment,
  ENVIRONMENT_DETAILS,
  environmentFacts,
  type EnvironmentFacts,
} from './environment-details'
import { asString } from './json-values'

export interface ToolResultSection {
  /** The description the assistant gave the result, e.g. `[read_file for 'a.ts']`. */
  readonly description: string
  /** The tool's output, without the user's words it may wrap. */
  readonly text: string
}

export interface RequestFacts {
  readonly results: readonly ToolResultSection[]
  readonly environment: EnvironmentFacts
}

const NATIVE_HEADER = /(?<=^|\n)\[Tool(?: Result)?(?: \(Error\))?\](?=\n|$)/g
const RESULT_MARK = /\] Result:/g
// Where a description can start: a line opening with a snake_case tool name and what the assistants write after
// it: `[name]`, `[name for '…']`, `[name in Debug mode: '…']`, `[name to 'mode' because: …]`, `[name completed]`.
const DESCRIPTION_START = /(?<=^|\n)\[[a-z][a-z0-9_]*(\]| (?:for|in|to) | completed\])/g
// Answers, feedback and new instructions the user typed: the UI log shows them as the user's own rows.
const USER_WORDS = /<(feedback|answer|user_message)>\n?([\s\S]*?)\n?<\/\1>/g

interface Header {
  readonly start: number
  readonly end: number
}

/**
 * The XML protocol's headers: each `] Result:` closes the description that starts earliest after the previous
 * header on a line of its own. Markers are found first so that the search stays linear in the text: a lazy pattern
 * from every line that opens with `[word ` would rescan the rest of a large file's contents for each of them.
 */
function descriptionHeaders(chunk: string): Header[] {
  const headers: Header[] = []
  let from = 0
  for (const mark of chunk.matchAll(RESULT_MARK)) {
    DESCRIPTION_START.lastIndex = from
    for (let start = DESCRIPTION_START.exec(chunk); start && start.index < mark.index;) {
      // `[name] Result:` must close right after its name; `[name for …] Result:` anywhere later.
      const closesHere = !start[1]?.endsWith(']') || start.index + start[0].length - 1 === mark.index
      if (closesHere) {
        headers.push({ start: start.index, end: mark.index + mark[0].length })
        from = mark.index + mark[0].length
        break
      }
      start = DESCRIPTION_START.exec(chunk)
    }
  }
  return headers
}

function headersOf(chunk: string): Header[] {
  // The lookbehind makes the pattern try every position: most requests hold no native result at all.
  const native = chunk.includes('[Tool')
    ? [...chunk.matchAll(NATIVE_HEADER)].map((m) => ({ start: m.index, end: m.index + m[0].length }))
    : []
  const described = chunk.includes('] Result:') ? descriptionHeaders(chunk) : []
  return native.length === 0 ? described : [...described, ...native].sort((a, b) => a.start - b.start)
}

export const startsWithToolResult = (text: string): boolean =>
  text.startsWith('[') && headersOf(text)[0]?.start === 0

/** The text with the user's wrapped words taken out, and those words. */
export function takeUserWords(text: string): { rest: string; words: string[] } {
  const words: string[] = []
  const rest = text.replace(USER_WORDS, (_, _tag: string, inner: string) => {
    if (inner.trim() !== '') words.push(inner.trim())
    return ''
  })
  return { rest: words.length > 0 ? rest.trim() : text, words }
}

function sectionsOf(chunk: string, into: ToolResultSection[]): void {
  const headers = headersOf(chunk)
  headers.forEach((header, i) => {
    const end = headers[i + 1]?.start ?? chunk.length
    const text = takeUserWords(chunk.slice(header.end, end).trim()).rest
    if (text === '') return
    into.push({ description: chunk.slice(header.start, header.end).replace(/ Result:$/, ''), text })
  })
}

/** Tool results and environment facts of one request. */
export function readRequest(request: unknown): RequestFacts {
  const text = asString(request)
  if (!text) return { results: [], environment: {} }
  const results: ToolResultSection[] = []
  let environment: EnvironmentFacts = {}
  let from = 0
  for (const details of text.matchAll(ENVIRONMENT_DETAILS)) {
    sectionsOf(text.slice(from, details.index), results)
    from = details.index + details[0].length
    environment = addEnvironment(environment, environmentFacts(details[1] ?? ''))
  }
  // Cline writes the request before the environment details are gathered, ending it with "Loading...".
  sectionsOf(text.slice(from).replace(/\n*Loading\.\.\.\s*$/, ''), results)
  return { results, environment }
}
