/**
 * How far the page's store is in opening, as LiveStore reports it (loading, then migrating, rehydrating or
 * syncing with progress, then done), for the view shown meanwhile: a long rebuild shows its progress, and only a
 * store that reports nothing for a long time is called stuck.
 */
import type { BootStatus } from '@livestore/common'
import { useSyncExternalStore } from 'react'

export interface BootProgress {
  readonly stage: BootStatus['stage']
  readonly done: number | null
  readonly total: number | null
  /** How many reports came so far: a change means the store is moving. */
  readonly reports: number
  /** The progress is the leader's rebuild of a damaged state, before LiveStore opens the store (rebuild-state.ts). */
  readonly repairing: boolean
}

let current: BootProgress = { stage: 'loading', done: null, total: null, reports: 0, repairing: false }
const listeners = new Set<() => void>()

export function reportBootStatus(status: BootStatus): void {
  const progress = 'progress' in status ? status.progress : null
  current = {
    stage: status.stage,
    done: progress?.done ?? null,
    total: progress && progress.total >= 0 ? progress.total : null,
    reports: current.reports + 1,
    repairing: false,
  }
  for (const listener of listeners) listener()
}

/** The leader's rebuild of a damaged state (its worker says how far it is; the page loads again when it is done). */
export function reportRepairProgress(done: number, total: number): void {
  current = { stage: 'rehydrating', done, total, reports: current.reports + 1, repairing: true }
  for (const listener of listeners) listener()
}

const subscribe = (listener: () => void) => {
  listeners.add(listener)
  return () => void listeners.delete(listener)
}

/** The progress as last reported. */
export const currentBootProgress = (): BootProgress => current

export const useBootProgress = (): BootProgress => useSyncExternalStore(subscribe, currentBootProgress)

const STAGE_WORDS: Partial<Record<BootProgress['stage'], string>> = {
  migrating: 'Updating your library for this version',
  rehydrating: 'Reading your library',
  syncing: 'Fetching your library',
}

/** What the page says while its store opens: the opening view's line, and the error view's during a repair. */
export function describeOpening(progress: BootProgress): string {
  const words = progress.repairing
    ? 'Repairing your library'
    : (STAGE_WORDS[progress.stage] ?? 'Opening your library')
  if (progress.done === null) return `${words}…`
  const of = progress.total === null ? '' : ` of ${progress.total.toLocaleString()}`
  return `${words}: ${progress.done.toLocaleString()}${of} events…`
}
