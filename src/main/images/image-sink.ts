/**
 * Where an import keeps the images it meets. The adapters reduce an image to a reference deep inside their
 * content parsing (message-content.ts imageReference), many calls below the import engine; rather than thread a
 * store through every parser, the engine runs each unit's read inside this context and the reference keeps the
 * bytes in whichever store the running import named. No store (a test, a dry run): references only, as before.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { ImageStore } from './image-store'

const current = new AsyncLocalStorage<ImageStore>()

export const withImageStore = <T>(store: ImageStore | undefined, read: () => Promise<T>): Promise<T> =>
  store ? current.run(store, read) : read()

export const currentImageStore = (): ImageStore | undefined => current.getStore()
