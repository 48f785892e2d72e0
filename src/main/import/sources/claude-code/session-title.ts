/**
 * A session's title, in the order Claude Code's own resume picker prefers: the name the user gave (/rename), the
 * summary of the session's latest summarised message, a generated title, then the first real prompt.
 */
import type { SessionScan } from './scan-session'

export const MAX_TITLE_CHARS = 200

export function titleOf(
  scan: SessionScan,
  projectSummaries: ReadonlyMap<string, string>,
  sourceId: string,
): string {
  return (
    clip(scan.customTitle) ??
    clip(latestSummary(scan, projectSummaries)) ??
    clip(scan.aiTitle) ??
    clip(firstPrompt(scan)) ??
    `Claude Code session ${sourceId.slice(0, 8)}`
  )
}

/** Of the summaries whose leaf is a message of this session, the one about the latest message. */
function latestSummary(scan: SessionScan, projectSummaries: ReadonlyMap<string, string>): string | undefined {
  let best: { ordinal: number; summary: string } | undefined
  for (const summaries of [projectSummaries, scan.summaries]) {
    for (const [leaf, summary] of summaries) {
      const ordinal = scan.ordinalOfUuid.get(leaf)
      if (ordinal !== undefined && (!best || ordinal >= best.ordinal)) best = { ordinal, summary }
    }
  }
  return best?.summary
}

/**
 * Claude Code wraps what it adds to a prompt in tags (<command-name>, <local-command-stdout>, <ide_opened_file>,
 * <bash-input>, ...). A prompt that is only such elements was not typed by the user as a question.
 */
const LEADING_ELEMENT = /^\s*<([A-Za-z][\w-]*)(?:\s[^>]*)?>[\s\S]*?<\/\1>/

const COMMAND_NAME = /<command-name>([^<]+)<\/command-name>/

/** The first prompt the user typed; failing that, the first slash command they ran (a session of /model only). */
function firstPrompt(scan: SessionScan): string | undefined {
  let command: string | undefined
  for (const message of scan.messages) {
    if (message.role !== 'user' || message.kind !== 'text') continue
    command ??= COMMAND_NAME.exec(message.text)?.[1]
    let text = message.text
    for (let match = LEADING_ELEMENT.exec(text); match; match = LEADING_ELEMENT.exec(text))
      text = text.slice(match[0].length)
    const line = text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '')
    if (line) return line
  }
  return command
}

function clip(text: string | undefined): string | undefined {
  const trimmed = text?.trim()
  if (!trimmed) return undefined
  return trimmed.length > MAX_TITLE_CHARS ? `${trimmed.slice(0, MAX_TITLE_CHARS - 1)}…` : trimmed
}
