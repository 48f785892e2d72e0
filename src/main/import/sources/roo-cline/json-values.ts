/** Narrowing helpers for parsed JSON: the sources have no schema, so every field is checked where it is read. */

export type JsonRecord = Record<string, unknown>

export const isRecord = (value: unknown): value is JsonRecord =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export const asString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined

export const asNumber = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined

/** A copy without `keys`; metadata keeps whatever the mapped columns did not take. */
export function omit(record: JsonRecord, keys: readonly string[]): JsonRecord {
  const rest: JsonRecord = {}
  for (const [key, value] of Object.entries(record)) if (!keys.includes(key)) rest[key] = value
  return rest
}

export const minOf = (values: readonly (number | null | undefined)[]): number | undefined =>
  values.reduce<number | undefined>(
    (min, v) => (v == null ? min : min === undefined ? v : Math.min(min, v)),
    undefined,
  )

export const maxOf = (values: readonly (number | null | undefined)[]): number | undefined =>
  values.reduce<number | undefined>(
    (max, v) => (v == null ? max : max === undefined ? v : Math.max(max, v)),
    undefined,
  )
