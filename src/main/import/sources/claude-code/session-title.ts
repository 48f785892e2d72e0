/**
 * A session's title, in the order Claude Code's own resume picker prefers: the name the user gave (/rename), the
 * summary of the session's latest summarised message, a generated title, then the first real prompt.
 */
import type { SessionState } from './session-state'

export const MAX_TITLE_CHARS = 200

export function titleOf(
  state: SessionState,
  projectSummaries: ReadonlyMap<string, string>,
  sourceId: string,
): string {
  return (
    clip(state.customTitle) ??
    clip(latestSummary(state, projectSummaries)) ??
    clip(state.aiTitle) ??
    clip(state.firstPrompt ?? state.firstCommand) ??
    `Claude Code session ${sourceId.slice(0, 8)}`
  )
}

/** Of the summaries whose leaf is a message of this session, the one about the latest message. */
function latestSummary(
  state: SessionState,
  projectSummaries: ReadonlyMap<string, string>,
): string | undefined {
  let best: { ordinal: number; summary: string } | undefined
  for (const summaries of [projectSummaries, state.summaries]) {
    for (const [leaf, summary] of summaries) {
      const ordinal = state.ordinalOfUuid.get(leaf)
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

/**
 * What a user's text message offers a title: the first line they typed, and the slash command it ran. A session
 * of /model only has no prompt, so its first command names it.
 */
export function promptOf(message: string): { prompt: string | null; command: string | null } {
  let text = message
  for (let match = LEADING_ELEMENT.exec(text); match; match = LEADING_ELEMENT.exec(text))
    text = text.slice(match[0].length)
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '')
  return { prompt: line ?? null, command: COMMAND_NAME.exec(message)?.[1] ?? null }
}

function clip(text: string | null | undefined): string | undefined {
  const trimmed = text?.trim()
  if (!trimmed) return undefined
  return trimmed.length > MAX_TITLE_CHARS ? `${trimmed.slice(0, MAX_TITLE_CHARS - 1)}…` : trimmed
}
