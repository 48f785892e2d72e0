import { describe, expect, it } from 'vitest'
import { nearRanges, pastPrefix, slipRanges } from './vocabulary-ranges'

describe('vocabulary ranges', () => {
  it('reads the first two letters, them swapped, and the first and third first', () => {
    expect(nearRanges('prolem')).toEqual(['pr', 'po', 'rp'])
  })

  it('reaches a slip in the first or second letter only in the wider ranges, none inside the near ones', () => {
    const wider = slipRanges('nigration')
    // A first letter wrong (?ig), missing (?ni) or in excess (igr), a second letter wrong (n?g) or missing (n?i).
    expect(wider).toEqual(expect.arrayContaining(['mig', 'mni', 'igr', 'nag', 'nai']))
    expect(wider.filter((range) => nearRanges('nigration').some((near) => range.startsWith(near)))).toEqual(
      [],
    )
  })

  it('bounds a range after its last letter, by code point', () => {
    expect(pastPrefix('co')).toBe('cp')
    expect(pastPrefix('é')).toBe('ê')
  })
})
