import { useState } from 'react'
import type { ChronicleApi, MembershipStep } from '../../../shared/api/contract'
import { describeMembershipStep } from '../../../shared/api/sync-membership'
import { usePolling } from '../api/use-polling'

const POLL_MS = 500

/**
 * The long step a setup or join is in while it runs (bringing the trail up to date, exporting it, sending the
 * history up): a large library takes tens of seconds, and only the main side knows how far each step is
 * (library-membership-progress.ts). Worded as the command line words it; counted steps draw a bar. Shown only
 * while a change runs, so each starts from nothing; nothing is drawn until its first step reports.
 */
export function MembershipProgress({ api }: { readonly api: ChronicleApi }) {
  const [step, setStep] = useState<MembershipStep | null>(null)
  usePolling(
    () => api.call('syncMembershipProgress', {}),
    (result) => {
      if (result.ok) setStep(result.value)
    },
    POLL_MS,
  )
  if (step === null) return null
  const counted = 'done' in step ? step : null
  const text = describeMembershipStep(step)
  return (
    <p
      className="sync-progress"
      data-testid="sync-progress"
      data-step={step.step}
      {...(counted && { 'data-done': counted.done, 'data-total': counted.total })}
    >
      {counted && <progress max={counted.total} value={counted.done} aria-label={text} />}
      {text}
    </p>
  )
}
