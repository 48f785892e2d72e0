/**
 * The page's LiveStore for React: one registry and one options object for the page's life, and the store loaded
 * once (LoadedStore, which suspends until then) and handed down, so every component that asks for it gets the same
 * one. LiveStore's useStore asks the registry at every render and traces that with a span whose stack it captures:
 * profiled on one core, about 6 ms of each redraw of the list after an external write and 270 ms over reading
 * 5,000 messages.
 */
import { StoreRegistry, StoreRegistryProvider, useStore } from '@livestore/react'
import { createContext, use, useEffect, useMemo, type ReactNode } from 'react'
import { unstable_batchedUpdates as batchUpdates } from 'react-dom'
import type { SessionInfo } from '../../../shared/api/contract'
import type { schema } from '../../../shared/livestore/schema'
import { silentOtel } from '../../../shared/livestore/silent-tracer'
import { noteOpenStore } from './page-reload'
import { useFollowedSeenHead, type SeenHead } from './use-seen-head'
import { chronicleStoreOptions, type ChronicleStoreOptions } from './store-options'

// Every query and event makes spans: none is kept, so no ids are drawn and no contexts copied for them. Registering
// the silent context is global to the page, so it is done once, when the module loads.
const otelOptions = silentOtel()

const StoreOptionsContext = createContext<ChronicleStoreOptions | null>(null)
const SessionContext = createContext<SessionInfo | null>(null)

type LoadedChronicleStore = ReturnType<typeof useStore<typeof schema>>
const StoreContext = createContext<LoadedChronicleStore | null>(null)
const SeenHeadContext = createContext<SeenHead | null>(null)

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
          otelOptions,
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

/** Loads the store for everything under it; suspends until it is loaded (put it under a Suspense boundary). */
export function LoadedStore({ children }: { readonly children: ReactNode }) {
  const options = use(StoreOptionsContext)
  if (!options) throw new Error('<LoadedStore> needs a <ChronicleStoreProvider> above it')
  const store = useStore(options)
  useEffect(() => noteOpenStore(store), [store])
  // Followed from the moment the store loads, so an edit made as soon as the list is drawn knows it.
  const seen = useFollowedSeenHead(store)
  return (
    <StoreContext value={store}>
      <SeenHeadContext value={seen}>{children}</SeenHeadContext>
    </StoreContext>
  )
}

/** The store, loaded by the LoadedStore above. */
export function useChronicleStore(): LoadedChronicleStore {
  const store = use(StoreContext)
  if (!store) throw new Error('useChronicleStore() needs a <LoadedStore> above it')
  return store
}

/** What the page has seen of the library now, for the edits it makes (use-seen-head.ts). */
export function useSeenHead(): SeenHead {
  const seen = use(SeenHeadContext)
  if (!seen) throw new Error('useSeenHead() needs a <LoadedStore> above it')
  return seen
}

/** This page's session: its device, for the events it makes. */
export function useSessionInfo(): SessionInfo {
  const session = use(SessionContext)
  if (!session) throw new Error('useSessionInfo() needs a <ChronicleStoreProvider> above it')
  return session
}
