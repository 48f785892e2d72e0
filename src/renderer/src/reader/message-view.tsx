import { memo, useState, type ReactNode } from 'react'
import type { Message } from '../../../shared/domain'
import { formatCount, formatDay, formatTime } from '../format'
import { leftSourceExplanation, leftSourceText, type LeftSourceMark } from './left-source'
import { MessageImage } from './message-image'
import {
  fenceXmlBlocks,
  imageParts,
  lineCount,
  roleLabel,
  toolInput,
  toolName,
  toolSubject,
} from './message-parts'
import { Prose } from './prose'

/**
 * A part that starts closed and renders its body only once opened: a long tool output costs nothing until the
 * reader asks for it, or until the find's current occurrence is in it (`reveal`).
 */
function Collapsible({
  summary,
  reveal,
  children,
}: {
  readonly summary: ReactNode
  readonly reveal: boolean
  readonly children: () => ReactNode
}) {
  const [open, setOpen] = useState(false)
  // Opened when it becomes the find's; closing it by hand afterwards is the reader's choice.
  const [revealed, setRevealed] = useState(false)
  if (reveal !== revealed) {
    setRevealed(reveal)
    if (reveal) setOpen(true)
  }
  return (
    <details className="collapsible" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{summary}</summary>
      {open && children()}
    </details>
  )
}

function Body({ message, reveal }: { readonly message: Message; readonly reveal: boolean }) {
  switch (message.kind) {
    case 'text':
      return <Prose text={fenceXmlBlocks(message.text)} />
    case 'thinking':
      return (
        <Collapsible
          reveal={reveal}
          summary={`Thinking · ${formatCount(message.text.split(/\s+/).length)} words`}
        >
          {() => <Prose text={message.text} />}
        </Collapsible>
      )
    case 'tool_call': {
      const subject = toolSubject(message)
      return (
        <Collapsible
          reveal={reveal}
          summary={
            <>
              <span className="tool-name">{toolName(message)}</span>
              {subject && <code className="tool-subject">{subject}</code>}
            </>
          }
        >
          {() => <pre className="tool-body">{toolInput(message)}</pre>}
        </Collapsible>
      )
    }
    case 'tool_result':
      return (
        <Collapsible reveal={reveal} summary={`Result · ${formatCount(lineCount(message.text))} lines`}>
          {() => <pre className="tool-body">{message.text}</pre>}
        </Collapsible>
      )
    default:
      // Summaries, hooks and other events: one quiet line, the rest on demand.
      return message.text.length <= 200 && !message.text.includes('\n') ? (
        <p className="event-text">{message.text}</p>
      ) : (
        <Collapsible
          reveal={reveal}
          summary={<span className="event-text">{message.text.split('\n')[0]!.slice(0, 160)}…</span>}
        >
          {() => <pre className="tool-body">{message.text}</pre>}
        </Collapsible>
      )
  }
}

/**
 * The quiet line over a message its source no longer holds. The run's later messages carry it too, for screen
 * readers (who meet messages one at a time), but unseen: on screen the run's rule ties them to the first.
 */
function LeftSourceNote({
  mark,
  sourceName,
}: {
  readonly mark: LeftSourceMark
  readonly sourceName: string
}) {
  const explanation = leftSourceExplanation(sourceName)
  return (
    <p
      className={mark.first ? 'left-source-note' : 'visually-hidden'}
      role="note"
      title={`${explanation} Found gone ${formatTime(mark.at)}.`}
      aria-description={explanation}
      data-testid="left-source-note"
    >
      {leftSourceText(sourceName, formatDay(mark.at))}
    </p>
  )
}

/**
 * Under a message of which only the first characters are here: the rest is on another machine of the library and
 * on its way. A note, not a live region: a conversation can hold hundreds of them, and they go quietly.
 */
function BodyElsewhereNote() {
  return (
    <p className="body-elsewhere" role="note" data-testid="body-elsewhere">
      Loading the rest from your other machines…
    </p>
  )
}

/** One message: who said it and when, then its body in the form its kind calls for, then its images. */
export const MessageView = memo(function MessageView({
  message,
  focused,
  findCurrent,
  leftSource,
  sourceName,
}: {
  readonly message: Message
  /** The message a search hit points at: marked until another is. */
  readonly focused: boolean
  /** Holds the find's current occurrence: folded parts open to show it. */
  readonly findCurrent: boolean
  /** Set when the message's source no longer holds it. */
  readonly leftSource: LeftSourceMark | null
  /** The assistant the conversation came from, as its users call it. */
  readonly sourceName: string
}) {
  const images = imageParts(message)
  const model = typeof message.metadata.model === 'string' ? message.metadata.model : null
  return (
    <article
      className={`message role-${message.role} kind-${message.kind}${focused ? ' focused' : ''}${findCurrent ? ' find-current' : ''}${leftSource ? ' left-source' : ''}${message.bodyElsewhere ? ' body-elsewhere-preview' : ''}`}
      data-testid="message"
      data-message-id={message.id}
      data-kind={message.kind}
      data-left-source={leftSource ? (leftSource.first ? 'first' : 'continued') : undefined}
      data-find-current={findCurrent || undefined}
      data-body-elsewhere={message.bodyElsewhere || undefined}
    >
      {leftSource && <LeftSourceNote mark={leftSource} sourceName={sourceName} />}
      <header className="message-meta">
        <span className="message-role">{roleLabel(message)}</span>
        {message.createdAt !== null && (
          <time dateTime={new Date(message.createdAt).toISOString()}>{formatTime(message.createdAt)}</time>
        )}
        {model && message.role === 'assistant' && <span className="muted">{model}</span>}
      </header>
      <Body message={message} reveal={findCurrent} />
      {message.bodyElsewhere && <BodyElsewhereNote />}
      {images.length > 0 && (
        <div className="message-images">
          {images.map((image, index) => (
            <MessageImage key={index} image={image} />
          ))}
        </div>
      )}
    </article>
  )
})
