import { useState, type FormEvent } from 'react'
import {
  SOURCE_FORMATS,
  type ApiResponse,
  type ChronicleApi,
  type SettingsInfo,
  type SourceFormat,
} from '../../../shared/api/contract'

export const FORMAT_LABELS: Record<SourceFormat, string> = {
  roo: 'Roo Code',
  cline: 'Cline',
  'roo-or-cline': 'Roo Code or Cline (each task by its content)',
  'cline-sdk': 'Cline (CLI and SDK)',
  'claude-code': 'Claude Code',
  chatgpt: 'ChatGPT export',
}

/**
 * Adding a source, as this host allows it: in the desktop app a folder chosen in the system's dialog (the page
 * never names a path), in the web host a typed path (the host refuses paths outside the user's home folder).
 */
export function AddSourceForm({
  api,
  by,
  apply,
}: {
  readonly api: ChronicleApi
  readonly by: SettingsInfo['addSourceBy']
  /** Runs the change and shows its outcome; true when it succeeded. */
  readonly apply: (change: Promise<ApiResponse<'addSource' | 'pickSourceFolder'>>) => Promise<boolean>
}) {
  const [path, setPath] = useState('')
  const [format, setFormat] = useState<SourceFormat | ''>('')
  const [picking, setPicking] = useState(false)
  const formatArg = format === '' ? {} : { format }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (by === 'folder-picker') {
      setPicking(true)
      await apply(api.call('pickSourceFolder', formatArg)).finally(() => setPicking(false))
      return
    }
    if (await apply(api.call('addSource', { path: path.trim(), ...formatArg }))) setPath('')
  }

  return (
    <form className="add-source" onSubmit={(event) => void submit(event)}>
      {by === 'typed-path' && (
        <label>
          Folder or file
          <input
            value={path}
            onChange={(event) => setPath(event.target.value)}
            placeholder="/home/you/.claude/projects"
            spellCheck={false}
            aria-label="Source path"
          />
        </label>
      )}
      <label>
        Format
        <select
          value={format}
          onChange={(event) => setFormat(event.target.value as SourceFormat | '')}
          aria-label="Source format"
        >
          <option value="">Recognise it</option>
          {SOURCE_FORMATS.map((f) => (
            <option key={f} value={f}>
              {FORMAT_LABELS[f]}
            </option>
          ))}
        </select>
      </label>
      {by === 'folder-picker' ? (
        <button type="submit" disabled={picking}>
          Choose folder…
        </button>
      ) : (
        <button type="submit" disabled={path.trim() === ''}>
          Add source
        </button>
      )}
    </form>
  )
}
