import { useEffect } from 'react'

export interface Undoable {
  readonly message: string
  readonly undo: () => void
}

const SHOWN_MS = 8_000

/** The last reversible edit, with its way back, for a few seconds (Ctrl/Cmd+Z too). */
export function UndoBar({
  undoable,
  onClose,
}: {
  readonly undoable: Undoable
  readonly onClose: () => void
}) {
  useEffect(() => {
    const timer = setTimeout(onClose, SHOWN_MS)
    const onKey = (event: globalThis.KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key === 'z') {
        event.preventDefault()
        undoable.undo()
        onClose()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => {
      clearTimeout(timer)
      window.removeEventListener('keydown', onKey)
    }
  }, [undoable, onClose])
  return (
    <div className="undo-bar" role="status" data-testid="undo-bar">
      <span>{undoable.message}</span>
      <button
        type="button"
        onClick={() => {
          undoable.undo()
          onClose()
        }}
      >
        Undo
      </button>
    </div>
  )
}
