/**
 * Paints the find's occurrences in the messages on screen with the CSS Custom Highlight API: ranges over the text
 * React rendered, so no element is added to (or removed from) a tree React owns, and the virtualiser may swap rows
 * freely. Occurrences are located by findInText, the function the main side counted them with.
 */
import { findInText } from '../../../shared/search/find-in-text'
import type { ParsedSearch } from '../../../shared/search/search-query'
import type { FindTarget } from './find-position'

export const FIND_HIGHLIGHT = 'chronicle-find'
export const FIND_CURRENT_HIGHLIGHT = 'chronicle-find-current'

/** Text outside a message's body (who said it, when, the left-source note) is not what was searched. */
const OUTSIDE_BODY = '.message-meta, [data-testid="left-source-note"]'
/** Text in two of these is two words, even where no space separates the text nodes. */
const BLOCK = 'p, li, pre, h1, h2, h3, h4, h5, h6, td, th, blockquote, summary, div, details, article'

interface TextPiece {
  readonly node: Text
  /** Where the node's text starts in the message's joined text. */
  readonly at: number
}

/** The message body's text nodes joined, with a space where a block ends, and where each node starts. */
function bodyText(message: Element): { text: string; pieces: TextPiece[] } {
  const walker = document.createTreeWalker(message, NodeFilter.SHOW_TEXT)
  const pieces: TextPiece[] = []
  let text = ''
  let block: Element | null = null
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement
    if (!parent || parent.closest(OUTSIDE_BODY)) continue
    const nodeBlock = parent.closest(BLOCK)
    if (block && nodeBlock !== block) text += ' '
    block = nodeBlock
    pieces.push({ node: node as Text, at: text.length })
    text += node.nodeValue ?? ''
  }
  return { text, pieces }
}

/** The DOM position of a character offset in the joined text. */
function locate(pieces: readonly TextPiece[], offset: number, end: boolean): [Text, number] | null {
  for (let i = pieces.length - 1; i >= 0; i--) {
    const piece = pieces[i]!
    // An end offset at a node's start belongs to the node before it.
    if (end ? offset > piece.at : offset >= piece.at)
      return [piece.node, Math.min(offset - piece.at, piece.node.length)]
  }
  return null
}

/** Whether this Chromium can paint highlights (every supported one can; a page without just shows no paint). */
const canPaint = (): boolean => typeof Highlight === 'function' && 'highlights' in CSS

/**
 * Paints every occurrence in the rendered messages under `root`, the target's in its own colour. Returns the
 * target's range, or null when its message is not rendered (or shows fewer occurrences than its text holds).
 */
export function paintFindHighlights(
  root: HTMLElement,
  search: ParsedSearch,
  target: FindTarget | null,
): Range | null {
  if (!canPaint()) return null
  const all = new Highlight()
  const current = new Highlight()
  let targetRange: Range | null = null
  for (const message of root.querySelectorAll('[data-message-id]')) {
    const { text, pieces } = bodyText(message)
    const isTarget = message.getAttribute('data-message-id') === target?.messageId
    findInText(text, search).forEach((found, index) => {
      const start = locate(pieces, found.start, false)
      const end = locate(pieces, found.end, true)
      if (!start || !end) return
      const range = document.createRange()
      range.setStart(...start)
      range.setEnd(...end)
      if (isTarget && index === target?.occurrence) {
        current.add(range)
        targetRange = range
      } else all.add(range)
    })
  }
  CSS.highlights.set(FIND_HIGHLIGHT, all)
  CSS.highlights.set(FIND_CURRENT_HIGHLIGHT, current)
  return targetRange
}

export function clearFindHighlights(): void {
  if (!canPaint()) return
  CSS.highlights.delete(FIND_HIGHLIGHT)
  CSS.highlights.delete(FIND_CURRENT_HIGHLIGHT)
}
