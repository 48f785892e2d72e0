/**
 * The keys the state counts a conversation's messages by (tables.ts messageKeys, materializers.ts): integers, not
 * the ids, so that a library's 100,000+ messages cost two integers each in every client's state rather than two
 * ids of ~40 characters, and every client computes the same key for the same message (a pure hash, no state read).
 *
 * 53 bits, the most a JS number holds exactly. Two keys alike by chance cost a count its exactness: two messages
 * of one conversation with one key count once (odds about m² / 2^54 for a conversation of m messages), two
 * conversations with one key share their counts (about n² / 2^54 for n conversations: 1 in 1.8 million at
 * 100,000 conversations).
 */

/**
 * cyrb53 (public domain, bryc): two 32-bit multiply-xorshift lanes over the UTF-16 code units, mixed into 53
 * bits. Math.imul makes it exact and the same in every JS engine.
 */
function hash53(text: string): number {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ unit, 2654435761)
    h2 = Math.imul(h2 ^ unit, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507)
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507)
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

/** A conversation's key: what its messages' rows carry, so a count or a purge finds them by one index. */
export const conversationKey = (conversationId: string): number => hash53(`c${conversationId}`)

/**
 * A message's key: of the conversation and the message, so one id in two conversations counts in each. The
 * length prefix keeps ('ab', 'c') apart from ('a', 'bc').
 */
export const messageKey = (conversationId: string, messageId: string): number =>
  hash53(`m${conversationId.length}:${conversationId}${messageId}`)

/**
 * A message's row in the state (tables.ts messageKeys) is one 63-bit integer: ROW_PREFIX_BITS of its
 * conversation's key, then ROW_SUFFIX_BITS of its own, so a conversation's rows lie in one range of rowids. The
 * prefix only groups (the row's `conversation` tells two conversations with one prefix apart); the whole rowid
 * identifies the message: two alike by chance, about n² / 2^64 for n messages, count once.
 * SQL composes the rowid (rowPrefix << ROW_SUFFIX_BITS) + rowSuffix, past 2^53 where a JS number stops being exact.
 */
export const ROW_SUFFIX_BITS = 43
const ROW_PREFIX_SPAN = 2 ** 20
const ROW_SUFFIX_SPAN = 2 ** ROW_SUFFIX_BITS

export const rowPrefix = (conversationId: string): number => conversationKey(conversationId) % ROW_PREFIX_SPAN

export const rowSuffix = (conversationId: string, messageId: string): number =>
  messageKey(conversationId, messageId) % ROW_SUFFIX_SPAN
