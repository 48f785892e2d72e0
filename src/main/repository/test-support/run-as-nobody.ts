/**
 * Tests of permission failures run a child as user nobody, because root ignores file permissions. The child loads
 * the project through tsx, which nobody can only do when every folder up to the checkout lets others through.
 */
import { statSync } from 'node:fs'
import { dirname } from 'node:path'

export const NOBODY = 65_534

export const runningAsRoot = process.getuid?.() === 0

/** True when every folder from `dir` up to / lets other users through (o+x). */
export function othersCanTraverse(dir: string): boolean {
  for (let current = dir; ; current = dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) return false
    if (dirname(current) === current) return true
  }
}
