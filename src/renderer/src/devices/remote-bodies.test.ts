import { describe, expect, it } from 'vitest'
import { bodiesToMove } from './remote-bodies'

const format = (n: number) => n.toLocaleString('en-US')

describe('bodiesToMove', () => {
  it('is null when nothing is to move', () => {
    expect(bodiesToMove({ toFetch: 0, toStore: 0, imagesToFetch: 0 }, format)).toBeNull()
  })

  it('names both directions, the second one short', () => {
    expect(bodiesToMove({ toFetch: 1234, toStore: 56, imagesToFetch: 0 }, format)).toBe(
      '1,234 message bodies to fetch from your other machines · 56 to store on the worker',
    )
  })

  it('names one direction alone in full, in the singular for one', () => {
    expect(bodiesToMove({ toFetch: 1, toStore: 0, imagesToFetch: 0 }, format)).toBe(
      '1 message body to fetch from your other machines',
    )
    expect(bodiesToMove({ toFetch: 0, toStore: 2, imagesToFetch: 0 }, format)).toBe(
      '2 message bodies to store on the worker',
    )
  })

  it('names the images to fetch last, with where they come from when no body is to fetch', () => {
    expect(bodiesToMove({ toFetch: 5, toStore: 0, imagesToFetch: 3 }, format)).toBe(
      '5 message bodies to fetch from your other machines · 3 images to fetch',
    )
    expect(bodiesToMove({ toFetch: 0, toStore: 2, imagesToFetch: 1 }, format)).toBe(
      '2 message bodies to store on the worker · 1 image to fetch from your other machines',
    )
  })
})
