/**
 * Where a message's body came from, as its row's metadata says (the bodies/ modules move bodies between machines):
 * - BODY_ON_DEVICE: another machine's event carried only a preview; the body is on that machine, and is fetched
 *   from the library's sync worker once its location is known;
 * - BODY_FROM_SYNC: the body was fetched from the worker; this machine does not store it again;
 * - anything else: this machine's repository wrote the body (an import, a writer of the database).
 * Exact strings, so each test is a comparison (and, for BODY_ON_DEVICE, a partial index: migration 0017).
 */
export const BODY_ON_DEVICE = '{"bodyOnDevice":true}'
export const BODY_FROM_SYNC = '{"bodyFrom":"sync"}'
