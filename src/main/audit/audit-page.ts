/**
 * A page of the audit view: the newest events before a sequence number, as records (message content left out:
 * the view shows what happened, the reader shows the messages), each edit with the later change that overrode it.
 */
import type { AuditPage, AuditViewRecord } from '../../shared/api/contract'
import type { Repository } from '../repository/repository'
import { eventlogHead, readLatest, type AuditFilters } from './audit-query'
import { recordMaker } from './audit-records'
import { findOverrides } from './overrides'
import { trailDevices } from './trail-devices'

export async function auditPage(
  repository: Pick<Repository, 'db'>,
  filters: AuditFilters,
  before: number | undefined,
  limit: number,
): Promise<AuditPage> {
  const { db } = repository
  const [entries, devices, head] = await Promise.all([
    readLatest(db, filters, before, limit),
    trailDevices(db),
    eventlogHead(db),
  ])
  const maker = recordMaker(devices, { includeContent: false, redact: false })
  const overrides = await findOverrides(db, entries, devices.names)
  // The JSON text of the data is the exporter's business; the view takes the records as objects.
  const records = entries.map((entry): AuditViewRecord => {
    const { dataJson: _dataJson, ...record } = maker.record(entry)
    const overriddenBy = overrides.get(entry.seq)
    return overriddenBy ? { ...record, overriddenBy } : record
  })
  const oldest = entries.at(-1)
  return {
    records,
    head,
    nextBefore: entries.length === limit && oldest && oldest.seq > 1 ? oldest.seq : null,
  }
}
