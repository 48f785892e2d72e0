import { LibraryKeyFileError, readLibraryKey } from '../library-key-file'

/** The refusal of the key file in `dataDir`; fails the test when the file is accepted or fails otherwise. */
export function libraryKeyRefusal(dataDir: string): LibraryKeyFileError {
  try {
    readLibraryKey(dataDir)
  } catch (error) {
    if (error instanceof LibraryKeyFileError) return error
    throw error
  }
  throw new Error('the key file was accepted')
}
