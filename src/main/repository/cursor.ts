/** Opaque page cursors: base64url JSON tuples, validated on the way back in (they come from outside). */
export type CursorValue = string | number | null

export function encodeCursor(values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url')
}

export function decodeCursor(cursor: string, arity: number): CursorValue[] | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (!Array.isArray(parsed) || parsed.length !== arity) return null
    const valid = parsed.every(
      (v) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)),
    )
    return valid ? (parsed as CursorValue[]) : null
  } catch {
    return null
  }
}
