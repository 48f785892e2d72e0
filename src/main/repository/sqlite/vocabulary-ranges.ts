/**
 * Which slices of the index's vocabulary "Did you mean" reads for a word. fts5vocab counts a word's messages by
 * walking its postings, and it walks them even when only the words are selected (measured at a million messages:
 * `SELECT term` over the words starting "po" takes 160-180 ms, `SELECT term, doc` 230 ms), so every slice read
 * costs in proportion to the messages of the words in it, and the slices are chosen from where the typo can be.
 */

/** The first string after every string that starts with `prefix`. */
export function pastPrefix(prefix: string): string {
  const chars = [...prefix]
  const last = chars.pop() ?? ''
  return chars.join('') + String.fromCodePoint((last.codePointAt(0) ?? 0) + 1)
}

/**
 * The first two letters a correction may start with when the slip is after them (most typos) or swaps or doubles
 * them: the word's own, its first and third (a second letter in excess, or the second and third swapped), its
 * second and first (the first two swapped).
 */
export function nearRanges(word: string): string[] {
  const [a = '', b = '', c = ''] = [...word]
  return [...new Set([a + b, a + c, b + a])]
}

const LATIN = [...'abcdefghijklmnopqrstuvwxyz']

/**
 * Read only when nearRanges holds no correction: where a word with one slip in its first two letters starts. A
 * first letter wrong (?bc), missing (?ab) or in excess (bcd), a second letter wrong (a?c) or missing (a?b), each
 * narrowed by the letter after it (measured at a million messages, near ones included: 20-30 ms for
 * "hystaresis", 110-140 ms for "prolem", 460 ms for "connectoin", one to three times the near ranges). `?` is a
 * Latin letter or one of the word's own. Ranges inside the near ones, already read, are left out.
 */
export function slipRanges(word: string): string[] {
  const [a = '', b = '', c = '', d = ''] = [...word]
  const near = nearRanges(word)
  const letters = [...new Set([...LATIN, ...word])]
  const ranges = new Set([b + c + d])
  for (const x of letters) for (const range of [x + b + c, x + a + b, a + x + c, a + x + b]) ranges.add(range)
  return [...ranges].filter((range) => !near.some((read) => range.startsWith(read)))
}
