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
}

let current: BootProgress = { stage: 'loading', done: null, total: null, reports: 0 }
const listeners = new Set<() => void>()

export function reportBootStatus(status: BootStatus): void {
  const progress = 'progress' in status ? status.progress : null
  current = {
    stage: status.stage,
    done: progress?.done ?? null,
    total: progress && progress.total >= 0 ? progress.total : null,
    reports: current.reports + 1,
  }
  for (const listener of listeners) listener()
}

const subscribe = (listener: () => void) => {
  listeners.add(listener)
  return () => void listeners.delete(listener)
}

export const useBootProgress = (): BootProgress => useSyncExternalStore(subscribe, () => current)
