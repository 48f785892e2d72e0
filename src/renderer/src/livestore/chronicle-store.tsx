/**
 * The page's LiveStore for React: one registry and one options object for the page's life, so every component
 * that asks for the store gets the same one (and suspends until it is loaded).
 */
import { StoreRegistry, StoreRegistryProvider, useStore } from '@livestore/react'
import { createContext, use, useMemo, type ReactNode } from 'react'
import { unstable_batchedUpdates as batchUpdates } from 'react-dom'
import type { SessionInfo } from '../../../shared/api/contract'
import { silentTracer } from '../../../shared/livestore/silent-tracer'
import { chronicleStoreOptions, type ChronicleStoreOptions } from './store-options'

const StoreOptionsContext = createContext<ChronicleStoreOptions | null>(null)
const SessionContext = createContext<SessionInfo | null>(null)

export function ChronicleStoreProvider({
  session,
  children,
}: {
  readonly session: SessionInfo
  readonly children: ReactNode
}) {
  // Kept while the page lives: closing an unused store would drop its sync and its persisted state handle.
  const registry = useMemo(
    () =>
      new StoreRegistry({
        defaultOptions: {
          batchUpdates,
          unusedCacheTime: Number.POSITIVE_INFINITY,
          // Every query and event makes spans; LiveStore's default tracer draws fresh random ids for each.
          otelOptions: { tracer: silentTracer },
        },
      }),
    [],
  )
  const options = useMemo(() => chronicleStoreOptions(session), [session])
  return (
    <StoreRegistryProvider storeRegistry={registry}>
      <SessionContext value={session}>
        <StoreOptionsContext value={options}>{children}</StoreOptionsContext>
      </SessionContext>
    </StoreRegistryProvider>
  )
}

/** The store, once loaded (the component suspends until then). */
export function useChronicleStore() {
  const options = use(StoreOptionsContext)
  if (!options) throw new Error('useChronicleStore() needs a <ChronicleStoreProvider> above it')
  return useStore(options)
}

/** This page's session: its device, for the events it makes. */
export function useSessionInfo(): SessionInfo {
  const session = use(SessionContext)
  if (!session) throw new Error('useSessionInfo() needs a <ChronicleStoreProvider> above it')
  return session
}
