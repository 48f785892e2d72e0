/** The whole trail exported as NDJSON into the data directory on the calling thread, as `device` signs it. */
import { join } from 'node:path'
import type { Repository } from '../../repository/repository'
import { exportAudit } from '../export-audit'

export async function exportTrail(
  repository: Repository,
  dataDir: string,
  device: { readonly id: string; readonly name: string },
): Promise<string> {
  const { file } = await exportAudit(repository, {
    format: 'ndjson',
    filters: {},
    out: join(dataDir, 'trail.ndjson'),
    includeContent: false,
    redact: false,
    dataDir,
    device,
    workers: 0,
  })
  return file
}
