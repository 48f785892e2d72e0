/**
 * Roo and Cline append <environment_details> to every user message, naming the workspace folder and (Roo) the
 * model. When no HistoryItem is available, e.g. a subtask folder copied on its own, this is the only place they
 * appear. The details are the assistant's, not the user's words, so they are read for these facts only.
 */

export const ENVIRONMENT_DETAILS = /<environment_details>([\s\S]*?)(?:<\/environment_details>|$)/g
const WORKSPACE = /# Current (?:Workspace|Working) Directory \(([^)\n]+)\)/
const MODEL = /<model>([^<\n]+)<\/model>/g

export interface EnvironmentFacts {
  readonly workspace?: string
  /** The latest model named: the model can change during a task. */
  readonly model?: string
}

export const isEnvironmentDetails = (text: string): boolean =>
  text.trimStart().startsWith('<environment_details>')

/** The workspace and model named by the environment details in `text`. */
export function environmentFacts(text: string): EnvironmentFacts {
  const workspace = WORKSPACE.exec(text)?.[1]?.trim()
  const model = [...text.matchAll(MODEL)].at(-1)?.[1]?.trim()
  return { ...(workspace && { workspace }), ...(model && { model }) }
}

/** Facts read later add to earlier ones: the first workspace named, the last model. */
export const addEnvironment = (known: EnvironmentFacts, more: EnvironmentFacts): EnvironmentFacts => ({
  ...((known.workspace ?? more.workspace) && { workspace: known.workspace ?? more.workspace }),
  ...((more.model ?? known.model) && { model: more.model ?? known.model }),
})
