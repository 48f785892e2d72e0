import { useState } from 'react'

/** The pairing code, plainly, under the warning it needs: it carries the library key. */
export function PairingCode({ code }: { readonly code: string }) {
  const [copied, setCopied] = useState<boolean | null>(null)
  const copy = () =>
    void navigator.clipboard.writeText(code).then(
      () => setCopied(true),
      () => setCopied(false),
    )
  return (
    <div className="pairing-code" data-testid="sync-pairing-code-box">
      <p className="pairing-warning" role="note">
        <strong>Keep this code secret.</strong> Anyone with this code can read and change your whole library;
        paste it only into Chronicle on your own machines.
      </p>
      <div className="pairing-code-line">
        <code className="pairing-code-text" data-testid="sync-pairing-code" aria-label="Pairing code">
          {code}
        </code>
        {'clipboard' in navigator && (
          <button type="button" onClick={copy} aria-label="Copy the pairing code">
            Copy
          </button>
        )}
      </div>
      {copied !== null && (
        <p role="status" className="muted">
          {copied ? 'Copied.' : 'The clipboard refused; select the code and copy it.'}
        </p>
      )}
    </div>
  )
}
