/**
 * A machine's sealed name opens only with its library's key, for the machine and library it was sealed for; the
 * headers carry nothing else; a list of machines from the network is refused when any field is out of shape.
 */
import { describe, expect, it } from 'vitest'
import { LibraryKey } from './library-key'
import { parseDevicesReport } from './machine-list'
import { machinePresence, openMachineName, presenceHeaders, sealMachineName } from './machine-presence'

const MACHINE = 'aaaaaaaa-1111-4111-8111-111111111111'

describe('machine presence', () => {
  it('seals a name that opens only with the same key, library and machine', () => {
    const key = LibraryKey.generate()
    const sealed = sealMachineName(key, 'library-a', MACHINE, 'Desk tower ✓')
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('Desk')
    expect(openMachineName(key, 'library-a', MACHINE, sealed)).toBe('Desk tower ✓')
    expect(openMachineName(LibraryKey.generate(), 'library-a', MACHINE, sealed)).toBeNull()
    expect(openMachineName(key, 'library-b', MACHINE, sealed)).toBeNull()
    expect(openMachineName(key, 'library-a', 'another-machine', sealed)).toBeNull()
    expect(openMachineName(key, 'library-a', MACHINE, `${sealed.slice(0, -2)}AA`)).toBeNull()
    expect(openMachineName(key, 'library-a', MACHINE, 'not base64!')).toBeNull()
  })

  it('keeps a 100-character name of 4-byte characters under the worker’s 600-character limit', () => {
    const sealed = sealMachineName(LibraryKey.generate(), 'library-a', MACHINE, '😀'.repeat(150))
    expect(sealed.length).toBeLessThanOrEqual(600)
  })

  it('sends id, version and sealed name, a version outside the alphabet as "unknown", and nothing for an id the worker refuses', () => {
    const presence = machinePresence(
      { id: MACHINE, name: 'Desk' },
      '1.0 beta\n',
      LibraryKey.generate(),
      'lib',
    )
    const headers = presenceHeaders(presence)
    expect(Object.keys(headers).sort()).toEqual([
      'x-chronicle-machine-id',
      'x-chronicle-sealed-name',
      'x-chronicle-version',
    ])
    expect(headers['x-chronicle-version']).toBe('unknown')
    expect(presenceHeaders(undefined)).toEqual({})
    const handEdited = { id: '_starts-with-underscore', name: 'Desk' }
    expect(machinePresence(handEdited, '0.1.0', LibraryKey.generate(), 'lib')).toBeUndefined()
  })

  it('refuses a list of machines with any field out of shape', () => {
    const good = {
      machineId: MACHINE,
      connected: true,
      since: '2026-12-05T00:00:00.000Z',
      lastSeen: '2026-12-05T00:01:00.000Z',
      head: 3,
      version: '0.1.0',
    }
    expect(parseDevicesReport({ storeId: 'lib', head: 5, machines: [good] })?.machines).toEqual([good])
    for (const bad of [
      { ...good, machineId: 'x'.repeat(65) },
      { ...good, version: 'v\u0001' },
      { ...good, head: -1 },
      { ...good, since: 'yesterday' },
      { ...good, connected: 'yes' },
      { ...good, sealedName: 7 },
    ])
      expect(parseDevicesReport({ storeId: 'lib', head: 5, machines: [bad] })).toBeNull()
    expect(parseDevicesReport({ storeId: 'lib', head: 1.5, machines: [] })).toBeNull()
    expect(parseDevicesReport(null)).toBeNull()
  })
})
