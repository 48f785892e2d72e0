/**
 * What a scan of a session file knows after some prefix of it: everything the conversation row and the parent
 * links of later lines need, but not the messages themselves (those are in the repository). It is kept between
 * imports (session-checkpoint.ts), so a growing session is read on from where the last import stopped; that is
 * why it has a plain JSON form.
 */
import type { Usage, UsageTotals } from './usage'
import { emptyUsageTotals } from './usage'

export interface SessionState {
  /** Messages in the file so far: the next message's ordinal. */
  messageCount: number
  /** uuid → ordinal of the first message line with that uuid. */
  readonly ordinalOfUuid: Map<string, number>
  /** uuid → parentUuid of lines that are not messages (progress, ...), so parents can be followed through them. */
  readonly passThrough: Map<string, string | null>
  /** leafUuid → summary text, from this file's summary lines. */
  readonly summaries: Map<string, string>
  customTitle: string | null
  aiTitle: string | null
  /** The first line the user typed, and failing that the first slash command (see session-title.ts). */
  firstPrompt: string | null
  firstCommand: string | null
  sessionId: string | null
  agentId: string | null
  lastCwd: string | null
  /** Earliest and latest message timestamps: not always in file order (a resumed session). */
  firstAt: number | null
  lastAt: number | null
  readonly cwds: Set<string>
  readonly versions: Set<string>
  readonly gitBranches: Set<string>
  readonly modelLines: Map<string, number>
  readonly usage: UsageTotals
  /** Counts of the lines that are not messages, by type: nothing disappears without a trace. */
  readonly otherLines: Record<string, number>
  validLines: number
  skippedLines: number
  oversizedLines: number
}

export const newSessionState = (): SessionState => ({
  messageCount: 0,
  ordinalOfUuid: new Map(),
  passThrough: new Map(),
  summaries: new Map(),
  customTitle: null,
  aiTitle: null,
  firstPrompt: null,
  firstCommand: null,
  sessionId: null,
  agentId: null,
  lastCwd: null,
  firstAt: null,
  lastAt: null,
  cwds: new Set(),
  versions: new Set(),
  gitBranches: new Set(),
  modelLines: new Map(),
  usage: emptyUsageTotals(),
  otherLines: {},
  validLines: 0,
  skippedLines: 0,
  oversizedLines: 0,
})

/** The state as plain JSON values (maps and sets as arrays); a deep copy, so later lines do not change it. */
export function sessionStateToJson(state: SessionState): unknown {
  return {
    ...state,
    ordinalOfUuid: [...state.ordinalOfUuid],
    passThrough: [...state.passThrough],
    summaries: [...state.summaries],
    cwds: [...state.cwds],
    versions: [...state.versions],
    gitBranches: [...state.gitBranches],
    modelLines: [...state.modelLines],
    usage: {
      byResponse: [...state.usage.byResponse].map(([id, usage]) => [id, { ...usage }]),
      unidentified: { ...state.usage.unidentified },
    },
    otherLines: { ...state.otherLines },
  }
}

type StateJson = Omit<
  SessionState,
  'ordinalOfUuid' | 'passThrough' | 'summaries' | 'cwds' | 'versions' | 'gitBranches' | 'modelLines' | 'usage'
> & {
  ordinalOfUuid: [string, number][]
  passThrough: [string, string | null][]
  summaries: [string, string][]
  cwds: string[]
  versions: string[]
  gitBranches: string[]
  modelLines: [string, number][]
  usage: { byResponse: [string, Usage][]; unidentified: Usage }
}

/**
 * The state back from its JSON form. The JSON is our own (written in the same transaction as the rows it
 * describes), so a shape check is enough; anything unexpected means "read the file from the start".
 */
export function sessionStateFromJson(value: unknown): SessionState | null {
  const json = value as Partial<StateJson> | null
  if (
    typeof json?.messageCount !== 'number' ||
    !Array.isArray(json.ordinalOfUuid) ||
    !Array.isArray(json.passThrough) ||
    !Array.isArray(json.usage?.byResponse)
  )
    return null
  const full = json as StateJson
  return {
    ...full,
    ordinalOfUuid: new Map(full.ordinalOfUuid),
    passThrough: new Map(full.passThrough),
    summaries: new Map(full.summaries),
    cwds: new Set(full.cwds),
    versions: new Set(full.versions),
    gitBranches: new Set(full.gitBranches),
    modelLines: new Map(full.modelLines),
    usage: { byResponse: new Map(full.usage.byResponse), unidentified: full.usage.unidentified },
    otherLines: full.otherLines,
  }
}
