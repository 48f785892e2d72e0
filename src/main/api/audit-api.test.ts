/**
 * The audit trail through the API, on a real repository with a real hub eventlog: pages newest first with a
 * filter and a cursor; an export started, followed to its end and verified; a cancelled one; and bad input
 * (an unknown action, a path smuggled in, an unknown job) refused with a clear error.
 */
import { existsSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { AuditPage, ExportJobStatus } from '../../shared/api/contract'
import { exportJobs } from '../audit/export-jobs'
import { LAPTOP, seedEventlog } from '../audit/test-support/seed-eventlog'
import { loadOrCreateSigningKey } from '../audit/signing-key'
import { registeredKeys } from '../audit/trusted-keys'
import { verifyExport } from '../audit/verify-export'
import { until } from '../hub/test-support/until'
import { useScratch } from '../repository/test-support/scratch'
import { makeDispatcher } from './handlers'

const scratch = useScratch()

async function setUp(times = 1) {
  const dataDir = scratch.dir()
  const exportDir = scratch.dir()
  const repo = scratch.open({ dataDir })
  const head = await seedEventlog(repo, times, loadOrCreateSigningKey(dataDir))
  const jobs = exportJobs(repo, { dataDir, device: { id: LAPTOP, name: 'laptop' }, exportDir })
  const dispatch = makeDispatcher(repo, () => undefined, { exports: jobs })
  return { head, exportDir, dispatch, repo }
}

describe('audit API', () => {
  it('pages the trail newest first, by action, with a cursor to older events', async () => {
    const { head, dispatch } = await setUp(3)
    const first = await dispatch('auditPage', { limit: 10 })
    expect(first.ok).toBe(true)
    const page = (first as { value: AuditPage }).value
    expect(page.head).toBe(head)
    expect(page.records.map((r) => r.seq)).toEqual(Array.from({ length: 10 }, (_, i) => head - i))
    expect(page.records[0]?.data).not.toHaveProperty('text')
    const older = (await dispatch('auditPage', { limit: 10, before: page.nextBefore })) as {
      value: AuditPage
    }
    expect(older.value.records[0]?.seq).toBe(head - 10)
    const renames = (await dispatch('auditPage', { action: 'v1.ConversationRenamed' })) as {
      value: AuditPage
    }
    expect(renames.value.records).toHaveLength(3)
    expect(renames.value.nextBefore).toBeNull()
    // Bad input: an action that does not exist, and a field the contract does not have.
    expect(await dispatch('auditPage', { action: 'v1.Teleported' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENTS' },
    })
    expect(await dispatch('auditExportStart', { format: 'csv', out: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENTS', message: expect.stringContaining('out must be absent') },
    })
  })

  it('runs an export to its end in the export folder, with progress, and the file verifies', async () => {
    const { head, exportDir, dispatch, repo } = await setUp()
    const started = (await dispatch('auditExportStart', {
      format: 'json',
      redact: true,
      includeContent: true,
    })) as {
      value: ExportJobStatus
    }
    expect(started.value.state).toBe('running')
    const finished = await until(
      async () =>
        ((await dispatch('auditExportStatus', { jobId: started.value.jobId })) as { value: ExportJobStatus })
          .value,
      (status) => status.state !== 'running',
    )
    expect(finished).toMatchObject({ state: 'done', done: head, total: head, masked: 3 })
    expect(finished.file.startsWith(exportDir)).toBe(true)
    const trust = { registered: await registeredKeys(repo.db), named: [] }
    expect((await verifyExport(finished.file, trust)).ok).toBe(true)
    expect(await dispatch('auditExportStatus', { jobId: 'no-such-job' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })
  })

  it('cancels an export, leaving nothing behind', async () => {
    const { exportDir, dispatch } = await setUp(400)
    const started = (await dispatch('auditExportStart', { format: 'ndjson' })) as { value: ExportJobStatus }
    await dispatch('auditExportCancel', { jobId: started.value.jobId })
    const ended = await until(
      async () =>
        ((await dispatch('auditExportStatus', { jobId: started.value.jobId })) as { value: ExportJobStatus })
          .value,
      (status) => status.state !== 'running',
    )
    expect(ended.state).toBe('cancelled')
    expect(existsSync(ended.file)).toBe(false)
    expect(readdirSync(exportDir)).toEqual([])
  })
})
