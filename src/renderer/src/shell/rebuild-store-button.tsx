import { requestStoreRebuild } from '../livestore/store-rebuild'

/** Empties this window's copy of the library and pulls it again from the hub (store-rebuild.ts). */
export function RebuildStoreButton({ directory }: { readonly directory: string }) {
  return (
    <button type="button" onClick={() => requestStoreRebuild(directory)} data-testid="rebuild-store">
      Rebuild this window&apos;s copy
    </button>
  )
}
