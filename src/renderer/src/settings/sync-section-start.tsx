import { useState, type ReactNode } from 'react'

/**
 * Not syncing: set up a library on a sync worker from this machine, or join one another machine set up. A key
 * left by an interrupted setup or join blocks both until it is removed.
 */
export function SyncStart({
  strayKey,
  busy,
  onSetUp,
  onJoin,
  onLeave,
}: {
  readonly strayKey: boolean
  readonly busy: boolean
  /** `claimSecret` is empty unless the user gave the worker's claim secret. */
  readonly onSetUp: (url: string, claimSecret: string) => void
  readonly onJoin: (pairingCode: string) => void
  readonly onLeave: () => void
}) {
  const [url, setUrl] = useState('')
  const [claimSecret, setClaimSecret] = useState('')
  const [code, setCode] = useState('')
  return (
    <>
      <p data-testid="sync-not-syncing">
        <strong>Not syncing.</strong> This library lives on this machine only. Set up sync to keep it on a
        sync worker you run, or join the library another of your machines set up.
      </p>
      {strayKey && (
        <p className="sync-stray" data-testid="sync-stray-key">
          A library key is left here from a setup or join that was interrupted. Leave to remove it; this
          machine&apos;s library stays as it is.{' '}
          <button type="button" onClick={onLeave} disabled={busy} data-testid="sync-leave">
            Leave
          </button>
        </p>
      )}
      <div className="sync-choices">
        <Choice
          id="sync-setup"
          title="Set up sync"
          label="Worker URL"
          help={
            <>
              The README&apos;s &ldquo;Sync between your machines&rdquo; section tells how to deploy one, e.g.{' '}
              <code>https://chronicle-sync.you.workers.dev</code>, or <code>http://127.0.0.1:PORT</code> for a
              local one.
            </>
          }
          action="Set up sync"
          ready={url.trim() !== '' && !busy}
          onSubmit={() => onSetUp(url.trim(), claimSecret)}
          extra={
            <details className="sync-claim">
              <summary>The worker has a claim secret</summary>
              <label>
                Claim secret
                <input
                  type="password"
                  value={claimSecret}
                  onChange={(event) => setClaimSecret(event.target.value)}
                  autoComplete="off"
                  disabled={busy}
                  data-testid="sync-claim-secret"
                />
              </label>
              <p className="muted sync-help">
                The secret you gave <code>wrangler secret put CLAIM_SECRET</code> when you deployed it: only
                who knows it can make libraries there. It is sent once, to claim this library, and not kept.
              </p>
            </details>
          }
        >
          <input
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            placeholder="https://chronicle-sync.you.workers.dev"
            aria-describedby="sync-setup-help"
            disabled={busy}
            data-testid="sync-url"
          />
        </Choice>
        <Choice
          id="sync-join"
          title="Join a library"
          label="Pairing code"
          help={
            <>
              On a machine that syncs: Settings → Sync between machines → Show pairing code. What this machine
              already holds goes into the library it joins.
            </>
          }
          action="Join library"
          ready={code.trim() !== '' && !busy}
          onSubmit={() => onJoin(code.trim())}
        >
          <textarea
            value={code}
            onChange={(event) => setCode(event.target.value)}
            rows={3}
            autoComplete="off"
            autoCapitalize="off"
            autoCorrect="off"
            spellCheck={false}
            aria-describedby="sync-join-help"
            disabled={busy}
            data-testid="sync-code-input"
          />
        </Choice>
      </div>
    </>
  )
}

/** One way to start: a titled form with one field, a line of help, and its button (`${id}` is its test id). */
function Choice({
  id,
  title,
  label,
  help,
  action,
  ready,
  onSubmit,
  extra,
  children,
}: {
  readonly id: string
  readonly title: string
  readonly label: string
  readonly help: ReactNode
  readonly action: string
  readonly ready: boolean
  readonly onSubmit: () => void
  /** More to fill in, after the help: optional fields. */
  readonly extra?: ReactNode
  /** The field; it names `${id}-help` as its description. */
  readonly children: ReactNode
}) {
  return (
    <form
      className="sync-choice"
      aria-labelledby={`${id}-heading`}
      onSubmit={(event) => {
        event.preventDefault()
        if (ready) onSubmit()
      }}
    >
      <h3 id={`${id}-heading`}>{title}</h3>
      <label>
        {label}
        {children}
      </label>
      <p id={`${id}-help`} className="muted sync-help">
        {help}
      </p>
      {extra}
      <button type="submit" disabled={!ready} data-testid={id}>
        {action}
      </button>
    </form>
  )
}
