import type { SyncJoinResult } from '../../../shared/api/contract'
import { formatCount } from '../format'
import { reloadPage } from '../livestore/page-reload'
import { PairingCode } from './sync-section-code'

/** The page reloads: the hub may hold another eventlog now, which the page finds on load (replaced-library.ts). */
const reload = () => void reloadPage()

const DoneButton = () => (
  <button type="button" className="sync-done" onClick={reload} data-testid="sync-done">
    Done
  </button>
)

/** After setup: the pairing code, shown until the user says Done. */
export function SetUpOutcome({
  pairingCode,
  eventsSent,
}: {
  readonly pairingCode: string
  readonly eventsSent: number
}) {
  return (
    <div className="sync-outcome" data-testid="sync-set-up">
      <p role="status">
        <strong>This machine syncs now.</strong> The library is on the worker, with {formatCount(eventsSent)}{' '}
        {eventsSent === 1 ? 'event' : 'events'} of its history sent up. To add another machine, paste this
        pairing code into Settings → Sync between machines → Join a library there. You can show it again here
        later.
      </p>
      <PairingCode code={pairingCode} />
      <DoneButton />
    </div>
  )
}

/** After joining a library with a library of this machine's own: what goes into the joined one, and the trail. */
export function JoinedOutcome({
  merged,
  claimedNow,
}: {
  readonly merged: NonNullable<SyncJoinResult['merged']>
  readonly claimedNow: boolean
}) {
  return (
    <div className="sync-outcome" data-testid="sync-joined">
      <p role="status" data-testid="sync-merged">
        <strong>Joined.</strong>{' '}
        {merged.conversations === 0 ? (
          <>This machine held no conversations of its own; it now shows the joined library.</>
        ) : (
          <>
            This machine&apos;s own library, {formatCount(merged.conversations)}{' '}
            {merged.conversations === 1 ? 'conversation' : 'conversations'} and {formatCount(merged.messages)}{' '}
            {merged.messages === 1 ? 'message' : 'messages'}, goes into the joined library.
          </>
        )}
      </p>
      <p>
        Its audit trail until now ({formatCount(merged.eventsExported)}{' '}
        {merged.eventsExported === 1 ? 'event' : 'events'}) was exported, signed by{' '}
        <code>{merged.signedBy}</code>, to <code data-testid="sync-trail-export">{merged.trailExport}</code>.
      </p>
      {claimedNow && (
        <p className="muted">
          The worker did not know this library (its storage was reset, or it is another worker): this machine
          claimed it there again.
        </p>
      )}
      <DoneButton />
    </div>
  )
}
