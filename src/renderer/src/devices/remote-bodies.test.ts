import { describe, expect, it } from 'vitest'
import { bodiesToMove } from './remote-bodies'

const format = (n: number) => n.toLocaleString('en-US')

describe('bodiesToMove', () => {
  it('is null when nothing is to move', () => {
    expect(bodiesToMove({ toFetch: 0, toStore: 0 }, format)).toBeNull()
  })

  it('names both directions, the second one short', () => {
    expect(bodiesToMove({ toFetch: 1234, toStore: 56 }, format)).toBe(
      '1,234 message bodies to fetch from your other machines · 56 to store on the worker',
    )
  })

  it('names one direction alone in full, in the singular for one', () => {
    expect(bodiesToMove({ toFetch: 1, toStore: 0 }, format)).toBe(
      '1 message body to fetch from your other machines',
    )
    expect(bodiesToMove({ toFetch: 0, toStore: 2 }, format)).toBe('2 message bodies to store on the worker')
  })
})
