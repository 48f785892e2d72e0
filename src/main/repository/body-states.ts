/**
 * Where a message's body came from, as its row's `body_state` says (migration 0020; the bodies/ modules move bodies
 * between machines):
 * - BODY_ELSEWHERE: another machine's event carried only a preview; the body is on that machine, and is fetched
 *   from the library's sync worker once its location is known;
 * - BODY_FETCHED: the body was fetched from the worker; this machine does not store it again;
 * - NULL: this machine's repository wrote the body (an import, a writer of the database).
 * The column is not synced; the message's `metadata` is what its importing machine read, on every machine.
 */
export const BODY_ELSEWHERE = 'elsewhere'
export const BODY_FETCHED = 'fetched'
export type BodyState = typeof BODY_ELSEWHERE | typeof BODY_FETCHED
