/**
 * A setup's progress as Settings reads it, on a real repository and the real sync worker (workerd): a library of
 * many events goes up in many pushes, and what the progress answers meanwhile counts up and ends at the total the
 * setup reports as sent; before the first step reports and after the setup it answers nothing.
 */
import { describe, expect, it } from 'vitest'
import { useLocalWorker } from '../../../sync-worker/test/use-local-worker'
import type { MembershipStep } from '../../shared/api/contract'
import { runChronicle } from '../cli/test-support/run-chronicle'
import { writeSessions } from '../relay/test-support/generated-sessions'
import { openRepository } from '../repository/repository'
import { useScratch } from '../repository/test-support/scratch'
import { setUpLibrary } from './library-membership'
import { membershipProgress } from './library-membership-progress'

const scratch = useScratch()
const local = useLocalWorker('setup-progress')

describe('setup progress', () => {
  it('brings the trail up to date, then counts the history up as the worker takes it, ends at the total sent, and is gone after the setup', async () => {
    const dataDir = scratch.dir()
    const { projects } = writeSessions(scratch.dir(), {
      label: 'progress',
      batch: 0,
      sessions: 300,
      messages: 4,
    })
    const imported = await runChronicle(dataDir, ['import', projects, '--source', 'claude-code'])
    expect([imported.code, imported.stderr]).toEqual([0, ''])

    const progress = membershipProgress()
    // What the page would read after each report, and what it reads every few milliseconds meanwhile.
    const afterReports: (MembershipStep | null)[] = []
    const polled: (MembershipStep | null)[] = []
    const polling = setInterval(() => polled.push(progress.read()), 5)
    const outcome = await progress
      .during(() =>
        setUpLibrary(
          {
            dataDir,
            openRepository: () => openRepository({ dataDir }),
            log: () => undefined,
            onProgress: (step) => {
              progress.report(step)
              afterReports.push(progress.read())
            },
          },
          local.worker().url,
        ),
      )
      .finally(() => clearInterval(polling))

    const total = outcome.eventsSent
    // Enough events for many pushes, so there is something to count between none and all.
    expect(total).toBeGreaterThan(500)
    // The CLI's import is not in the trail yet: it is brought in first, then the history goes up.
    expect([...new Set(afterReports.map((answer) => answer?.step))]).toEqual([
      'catching-up-trail',
      'sending-history',
    ])
    const history = afterReports.flatMap((answer) => (answer?.step === 'sending-history' ? [answer] : []))
    const sent = history.map((answer) => answer.done)
    expect(history.every((answer) => answer.total === total)).toBe(true)
    expect(sent.every((n, i) => i === 0 || n >= (sent[i - 1] ?? 0))).toBe(true)
    expect(sent.some((n) => n > 0 && n < total)).toBe(true)
    expect(sent.at(-1)).toBe(total)
    // The page polling meanwhile saw it count too, and saw nothing before the first report.
    expect(polled[0]).toBeNull()
    expect(
      polled.some((answer) => answer?.step === 'sending-history' && answer.done > 0 && answer.done < total),
    ).toBe(true)

    // After the setup: nothing, and a report that comes late (a timer's last tick) does not bring it back.
    expect(progress.read()).toBeNull()
    progress.report({ step: 'sending-history', done: total, total })
    expect(progress.read()).toBeNull()
  }, 120_000)
})
