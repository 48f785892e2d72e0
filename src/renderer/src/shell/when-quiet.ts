/**
 * Runs work the page will want soon but not now (such as a view's code) once the user has left the page still for
 * a while and the main thread is idle. A chunk compiled and run while the list scrolls is a long task the user
 * sees as a stutter; after a pause in which nothing moved, nobody sees it.
 */

/** What counts as the user doing something: the page must be free of these for `quietMs`. */
const ACTIVITY = ['scroll', 'wheel', 'keydown', 'pointerdown', 'touchstart'] as const

/** Returns what cancels it. `work` runs at most once. */
export function whenQuiet(quietMs: number, work: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let idle: number | undefined
  const stop = () => {
    clearTimeout(timer)
    if (idle !== undefined) cancelIdleCallback(idle)
    for (const type of ACTIVITY) window.removeEventListener(type, restart, true)
  }
  const run = () => {
    stop()
    work()
  }
  function restart() {
    clearTimeout(timer)
    if (idle !== undefined) cancelIdleCallback(idle)
    idle = undefined
    timer = setTimeout(() => (idle = requestIdleCallback(run)), quietMs)
  }
  // Capture: scroll does not bubble, and a list's own handlers must not hide it.
  for (const type of ACTIVITY) window.addEventListener(type, restart, { capture: true, passive: true })
  restart()
  return stop
}
