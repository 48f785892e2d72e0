import { useRef, useState } from 'react'
import type { ConversationRowData } from './conversation-row'

/** Tags as one comma-separated field: Enter or leaving the field saves, Escape leaves them as they were. */
export function TagEditor({
  row,
  onTags,
}: {
  readonly row: ConversationRowData
  readonly onTags: (tags: string[]) => void
}) {
  const [editing, setEditing] = useState(false)
  const [text, setText] = useState('')
  // As with renaming: Enter and the blur after it are one edit.
  const finished = useRef(false)
  if (!editing)
    return (
      <button
        type="button"
        onClick={() => {
          finished.current = false
          setText(row.tags.join(', '))
          setEditing(true)
        }}
      >
        Tags…
      </button>
    )
  const save = () => {
    if (finished.current) return
    finished.current = true
    onTags(
      text
        .split(',')
        .map((tag) => tag.trim())
        .filter((tag) => tag !== '')
        .slice(0, 50),
    )
    setEditing(false)
  }
  return (
    <input
      aria-label="Tags, separated by commas"
      autoFocus
      value={text}
      maxLength={1_000}
      onChange={(event) => setText(event.target.value)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') save()
        if (event.key === 'Escape') {
          finished.current = true
          setEditing(false)
        }
      }}
      onBlur={save}
    />
  )
}
