/**
 * Where the window opens: where it was last time, if that place is still on a screen (a monitor may have been
 * unplugged or the resolution lowered since), else centred at the default size. Pure, so it is tested under Node;
 * window-state.ts connects it to Electron.
 */

export interface Rect {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

export interface WindowState {
  /** The window's size and place when it was last neither maximised nor full screen. */
  readonly bounds: Rect
  readonly maximized: boolean
  readonly fullScreen: boolean
}

export const DEFAULT_SIZE = { width: 1200, height: 800 } as const
export const MIN_SIZE = { width: 720, height: 480 } as const
/** How much of the title bar must be on a screen for the saved place to count as visible. */
const VISIBLE = { width: 120, height: 40 } as const

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)

/** The saved state, or null for a file that is not one (missing fields, wrong types, absurd sizes). */
export function parseWindowState(text: string): WindowState | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  const { bounds, maximized, fullScreen } = (value ?? {}) as Record<string, unknown>
  const b = (bounds ?? {}) as Record<string, unknown>
  if (![b.x, b.y, b.width, b.height].every(isNumber)) return null
  const rect = { x: b.x as number, y: b.y as number, width: b.width as number, height: b.height as number }
  if (rect.width < 100 || rect.height < 100 || rect.width > 100_000 || rect.height > 100_000) return null
  return { bounds: rect, maximized: maximized === true, fullScreen: fullScreen === true }
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  }
}

export interface Placement {
  /** x and y absent: let the system centre the window. */
  readonly bounds: {
    readonly width: number
    readonly height: number
    readonly x?: number
    readonly y?: number
  }
  readonly maximized: boolean
  readonly fullScreen: boolean
}

/**
 * Chooses the window's bounds from the saved state and the screens' work areas. The saved place is used when its
 * top strip (the title bar) is on a screen; its size is shrunk to fit that screen.
 */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rect[]): Placement {
  const centred = (area: Rect | undefined): Placement => ({
    bounds: {
      width: Math.min(DEFAULT_SIZE.width, area?.width ?? DEFAULT_SIZE.width),
      height: Math.min(DEFAULT_SIZE.height, area?.height ?? DEFAULT_SIZE.height),
    },
    maximized: false,
    fullScreen: false,
  })
  if (!saved) return centred(workAreas[0])
  const titleBar = { ...saved.bounds, height: VISIBLE.height }
  const screen = workAreas.find((area) => {
    const seen = overlap(titleBar, area)
    return seen.width >= VISIBLE.width && seen.height >= VISIBLE.height / 2
  })
  if (!screen) return { ...centred(workAreas[0]), maximized: saved.maximized }
  const width = Math.max(MIN_SIZE.width, Math.min(saved.bounds.width, screen.width))
  const height = Math.max(MIN_SIZE.height, Math.min(saved.bounds.height, screen.height))
  return {
    bounds: {
      width,
      height,
      // Pulled back inside the screen if the shrunk window would still hang over its edge.
      x: Math.min(
        Math.max(saved.bounds.x, screen.x),
        screen.x + screen.width - Math.min(width, screen.width),
      ),
      y: Math.min(
        Math.max(saved.bounds.y, screen.y),
        screen.y + screen.height - Math.min(height, screen.height),
      ),
    },
    maximized: saved.maximized,
    fullScreen: saved.fullScreen,
  }
}
