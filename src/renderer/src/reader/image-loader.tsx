/**
 * Images come through the API as data URLs, one request per image, remembered for the page's life: the reader
 * draws and drops messages as it scrolls, and a message drawn again should not ask again.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react'
import type { ApiResults, ChronicleApi } from '../../../shared/api/contract'

type LoadImage = (sha256: string) => Promise<string | null>

const ImageLoaderContext = createContext<LoadImage>(() => Promise.resolve(null))
const loaded = new Map<string, Promise<string | null>>()

export function ImageLoaderProvider({
  api,
  children,
}: {
  readonly api: ChronicleApi
  readonly children: ReactNode
}) {
  const load = useCallback<LoadImage>(
    (sha256) => {
      let pending = loaded.get(sha256)
      if (!pending) {
        pending = api
          .call('image', { sha256 })
          .then((result) => (result.ok ? (result.value as ApiResults['image']).dataUrl : null))
        loaded.set(sha256, pending)
      }
      return pending
    },
    [api],
  )
  return <ImageLoaderContext.Provider value={load}>{children}</ImageLoaderContext.Provider>
}

/** The image's data URL once loaded; null while loading or when it was not kept. */
export function useImage(sha256: string | null): { readonly url: string | null; readonly missing: boolean } {
  const load = useContext(ImageLoaderContext)
  const [state, setState] = useState<{ sha: string | null; url: string | null; missing: boolean }>({
    sha: null,
    url: null,
    missing: false,
  })
  useEffect(() => {
    if (sha256 === null) return
    let current = true
    void load(sha256).then((url) => {
      if (current) setState({ sha: sha256, url, missing: url === null })
    })
    return () => {
      current = false
    }
  }, [sha256, load])
  if (sha256 === null) return { url: null, missing: true }
  return state.sha === sha256 ? state : { url: null, missing: false }
}
