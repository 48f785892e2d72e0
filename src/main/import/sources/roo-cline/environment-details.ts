/**
 * Roo and Cline append <environment_details> to user messages, naming the workspace folder and (Roo) the model.
 * When no HistoryItem is available, e.g. a subtask folder copied on its own, this is the only place they appear.
 */
import type { MessageInput } from '../../../repository/writes'

const WORKSPACE = /# Current (?:Workspace|Working) Directory \(([^)\n]+)\)/
const MODEL = /<model>([^<\n]+)<\/model>/g

export function workspaceFromMessages(messages: readonly MessageInput[]): string | undefined {
  for (const m of messages) {
    if (m.role !== 'user') continue
    const match = WORKSPACE.exec(m.text)
    if (match?.[1]) return match[1].trim()
  }
  return undefined
}

/** The latest model the environment details name: the model can change during a task. */
export function modelFromMessages(messages: readonly MessageInput[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]
    if (m?.role !== 'user') continue
    const found = [...m.text.matchAll(MODEL)].at(-1)?.[1]?.trim()
    if (found) return found
  }
  return undefined
}
