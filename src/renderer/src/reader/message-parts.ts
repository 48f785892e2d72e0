/**
 * What the reader needs to know about a message beyond its text, read from the source's own content blocks
 * (kept as they were, see src/main/import/message-content.ts): which tool was called with what, and the images.
 */
import type { Message } from '../../../shared/domain'

export interface ImagePart {
  readonly mediaType: string | null
  readonly bytes: number
  /** Present when the image's bytes were kept in the data directory. */
  readonly sha256: string | null
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const blocks = (content: unknown): readonly Record<string, unknown>[] =>
  Array.isArray(content) ? content.filter(isRecord) : isRecord(content) ? [content] : []

/** The tool a tool call names: the block's name, or the first word of its text (Chronicle writes "Name {input}"). */
export function toolName(message: Message): string {
  const named = blocks(message.content).find((block) => typeof block.name === 'string')
  if (named) return named.name as string
  const firstWord = /^\s*([\w.:-]{1,60})/.exec(message.text)?.[1]
  return firstWord ?? 'Tool'
}

/** A tool call's input as readable JSON, or its text when the source kept no structured input. */
export function toolInput(message: Message): string {
  const block = blocks(message.content).find((b) => 'input' in b)
  if (block) return typeof block.input === 'string' ? block.input : JSON.stringify(block.input, null, 2)
  const name = toolName(message)
  const rest = message.text.startsWith(name) ? message.text.slice(name.length).trim() : message.text
  try {
    return JSON.stringify(JSON.parse(rest), null, 2)
  } catch {
    return rest
  }
}

/** One line that says what a tool call does: a path, a command or a query, if its input has one. */
export function toolSubject(message: Message): string {
  const block = blocks(message.content).find((b) => isRecord(b.input))
  const input = block?.input as Record<string, unknown> | undefined
  if (!input) return ''
  for (const key of ['file_path', 'path', 'command', 'pattern', 'query', 'url', 'description', 'prompt']) {
    const value = input[key]
    if (typeof value === 'string' && value.trim() !== '') return value.split('\n')[0]!.slice(0, 160)
  }
  return ''
}

/** Every image reference in a message, tool results' nested content included. */
export function imageParts(message: Message): readonly ImagePart[] {
  const found: ImagePart[] = []
  const visit = (value: unknown, depth: number) => {
    if (depth > 4) return
    for (const block of blocks(value)) {
      if (block.type === 'image' && block.omitted === true) {
        found.push({
          mediaType: typeof block.mediaType === 'string' ? block.mediaType : null,
          bytes: typeof block.bytes === 'number' ? block.bytes : 0,
          sha256: typeof block.sha256 === 'string' ? block.sha256 : null,
        })
      } else if (Array.isArray(block.content)) visit(block.content, depth + 1)
    }
  }
  visit(message.content, 0)
  return found
}

const ROLE_LABELS: Record<Message['role'], string> = {
  user: 'You',
  assistant: 'Assistant',
  system: 'System',
  tool: 'Tool',
}
export const roleLabel = (message: Message): string => ROLE_LABELS[message.role]

export const lineCount = (text: string): number => (text === '' ? 0 : text.split('\n').length)

/**
 * Roo Code and Cline write tool calls as XML inside the assistant's text (`<read_file>\n<path>…</path>\n</read_file>`),
 * and wrap context in tags such as `<environment_details>`. Markdown would run those lines together; fenced as
 * XML they keep their lines and get highlighted. Only a tag alone on its line, closed by the same tag alone on a
 * later line, is fenced, and never inside an existing code fence.
 */
export function fenceXmlBlocks(text: string): string {
  if (!text.includes('</')) return text
  const lines = text.split('\n')
  const out: string[] = []
  let inFence = false
  let open: string | null = null
  for (const line of lines) {
    const trimmed = line.trim()
    if (open === null && /^(```|~~~)/.test(trimmed)) inFence = !inFence
    if (!inFence && open === null) {
      const tag = /^<([a-z][\w-]*)>$/.exec(trimmed)?.[1] ?? /^<([a-z][\w-]*)>.*<\/\1>$/.exec(trimmed)?.[1]
      if (tag && !trimmed.endsWith(`</${tag}>`)) {
        open = tag
        out.push('```xml', line)
        continue
      }
    } else if (open !== null && trimmed === `</${open}>`) {
      open = null
      out.push(line, '```')
      continue
    }
    out.push(line)
  }
  // An opened tag that never closed (a message cut short) is closed here, so the rest still reads as a block.
  if (open !== null) out.push('```')
  return out.join('\n')
}
