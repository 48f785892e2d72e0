/**
 * The text that goes into the full-text index, and the same word splitting for queries.
 *
 * SQLite's unicode61 tokenizer splits on spaces and punctuation, which suits Latin, Cyrillic, Greek, Arabic or
 * Hangul, but Chinese and Japanese are written without spaces: a whole sentence would become one token. We index
 * every Han, Hiragana and Katakana character as its own token by putting a zero-width space between them, and turn a
 * CJK query word into a phrase of single characters, which then matches that exact substring anywhere.
 */

const ZERO_WIDTH_SPACE = '\u200b'
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u
/**
 * Every boundary between a CJK character and a non-space neighbour, whatever the neighbour is: "用React开发" must
 * index 用, React, 开 and 发 separately, and "データ" must split around ー, which is in no CJK script.
 */
const CJK_BOUNDARY =
  /(?<=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])(?=\S)|(?<=\S)(?=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])/gu
/** unicode61 keeps letters, numbers and private-use characters; marks stay with their letter. */
const TOKEN = /[\p{L}\p{N}\p{M}\p{Co}]+/gu

/** The index holds at most this much of one message; the full original stays in the message's content. */
export const MAX_INDEXED_CHARS = 32_768

export function toSearchText(text: string): string {
  const capped = text.length > MAX_INDEXED_CHARS ? text.slice(0, MAX_INDEXED_CHARS) : text
  return CJK_CHAR.test(capped) ? capped.replace(CJK_BOUNDARY, ZERO_WIDTH_SPACE) : capped
}

/** Undo toSearchText for display (snippets are cut from the indexed text). */
export function fromSearchText(text: string): string {
  return text.includes(ZERO_WIDTH_SPACE) ? text.replaceAll(ZERO_WIDTH_SPACE, '') : text
}

/** True for one Han, Hiragana or Katakana character: a token of its own in the index. */
export function isCjkCharacter(token: string): boolean {
  return [...token].length === 1 && CJK_CHAR.test(token)
}

/** Splits one query word the way the index was split: `foo-bar` gives two tokens, `数据库` gives three. */
export function queryTokens(word: string): string[] {
  const tokens: string[] = []
  for (const match of word.matchAll(TOKEN)) {
    for (const part of toSearchText(match[0]).split(ZERO_WIDTH_SPACE)) if (part) tokens.push(part)
  }
  return tokens
}
