/** The records of an export as the verifier reads them back; a line or row that is not a record fails the test. */
import { createHash } from 'node:crypto'
import type { AuditRecord } from '../../../shared/audit/audit-record'
import { readAuditFile } from '../audit-file-reader'
import type { AuditFormat } from '../audit-formats'

export async function recordsIn(file: string, format: AuditFormat): Promise<AuditRecord[]> {
  const out: AuditRecord[] = []
  for await (const item of readAuditFile(file, format, createHash('sha256'))) {
    if (item.kind !== 'record') throw new Error(item.reason)
    out.push(item.record)
  }
  return out
}
