/**
 * Message text as markdown: GitHub's flavour (tables, task lists, strikethrough), code highlighted by language.
 * Raw HTML in a message is shown as text, never run; images are links, so a message cannot load from the web.
 * This module is loaded on demand (with the reader), so the list's cold start does not parse the grammars.
 */
import { memo, type AnchorHTMLAttributes, type ImgHTMLAttributes } from 'react'
import ReactMarkdown from 'react-markdown'
import rehypeHighlight from 'rehype-highlight'
import remarkGfm from 'remark-gfm'

const remarkPlugins = [remarkGfm]
// Only fenced code that names its language is highlighted: guessing the language of every block is slow.
// rehype-highlight builds a highlighter with every common grammar each time it is attached, and react-markdown
// attaches its plugins at every render: one transformer, made once, serves every message (reading a
// 5,000-message conversation on one core: 25 long tasks up to 181 ms before, 6 up to 74 ms after).
const highlight = rehypeHighlight({ detect: false })
const rehypePlugins = [() => highlight]

const components = {
  a: ({ href, children }: AnchorHTMLAttributes<HTMLAnchorElement>) => (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ),
  img: ({ src, alt }: ImgHTMLAttributes<HTMLImageElement>) =>
    typeof src === 'string' && src !== '' ? (
      <a href={src} target="_blank" rel="noreferrer noopener">
        {alt || src}
      </a>
    ) : null,
}

// Memoised: a message drawn again for another reason (it holds the find's occurrence now) is not parsed again.
export default memo(function Markdown({ text }: { readonly text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  )
})
