import { describe, expect, it } from 'vitest'
import { DEFAULT_SIZE, parseWindowState, placeWindow } from './window-bounds'

const laptop = { x: 0, y: 0, width: 1440, height: 875 }
const monitorOnTheRight = { x: 1440, y: 0, width: 2560, height: 1415 }

describe('parseWindowState', () => {
  it('reads a saved state', () => {
    const text = JSON.stringify({ bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true })
    expect(parseWindowState(text)).toEqual({
      bounds: { x: 10, y: 20, width: 1000, height: 700 },
      maximized: true,
      fullScreen: false,
    })
  })

  it('refuses what is not a state (bad input: corrupt JSON, missing fields, absurd sizes)', () => {
    expect(parseWindowState('{"bounds": {"x": 1')).toBeNull()
    expect(parseWindowState('null')).toBeNull()
    expect(parseWindowState(JSON.stringify({ bounds: { x: 0, y: 0, width: '800', height: 600 } }))).toBeNull()
    expect(parseWindowState(JSON.stringify({ bounds: { x: 0, y: 0, width: 5, height: 600 } }))).toBeNull()
  })
})

describe('placeWindow', () => {
  it('opens where it was when that place is on a screen, maximised if it was', () => {
    const saved = {
      bounds: { x: 1600, y: 100, width: 1300, height: 900 },
      maximized: true,
      fullScreen: false,
    }
    expect(placeWindow(saved, [laptop, monitorOnTheRight])).toEqual({
      bounds: { x: 1600, y: 100, width: 1300, height: 900 },
      maximized: true,
      fullScreen: false,
    })
  })

  it('centres at the default size when the screen it was on is gone', () => {
    const saved = {
      bounds: { x: 1600, y: 100, width: 1300, height: 900 },
      maximized: false,
      fullScreen: false,
    }
    expect(placeWindow(saved, [laptop])).toEqual({
      bounds: { width: DEFAULT_SIZE.width, height: DEFAULT_SIZE.height },
      maximized: false,
      fullScreen: false,
    })
  })

  it('shrinks a window larger than its screen and pulls it back inside', () => {
    const saved = {
      bounds: { x: 900, y: 10, width: 2400, height: 1400 },
      maximized: false,
      fullScreen: false,
    }
    expect(placeWindow(saved, [laptop]).bounds).toEqual({ x: 0, y: 0, width: 1440, height: 875 })
  })

  it('centres at the default size on a first run', () => {
    expect(placeWindow(null, [laptop]).bounds).toEqual({ width: 1200, height: 800 })
  })
})
