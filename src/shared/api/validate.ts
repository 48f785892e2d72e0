/**
 * Tiny validators for values that cross a process boundary. Each returns the typed value or a message naming
 * the field; the contract composes them, so a handler never sees unchecked input.
 */
export type Validator<T> = (
  value: unknown,
  path: string,
) => { ok: true; value: T } | { ok: false; message: string }

const bad = (path: string, expected: string) => ({
  ok: false as const,
  message: `${path} must be ${expected}`,
})

export const string =
  (maxLength: number): Validator<string> =>
  (value, path) =>
    typeof value === 'string' && value.length <= maxLength
      ? { ok: true, value }
      : bad(path, `a string of at most ${maxLength} characters`)

/** A string the whole of which matches `shape` (anchor it); `expected` says what that is, for the message. */
export const matching =
  (shape: RegExp, expected: string): Validator<string> =>
  (value, path) =>
    typeof value === 'string' && value.length <= 1_000 && shape.test(value)
      ? { ok: true, value }
      : bad(path, expected)

export const integer =
  (min: number, max: number): Validator<number> =>
  (value, path) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? { ok: true, value }
      : bad(path, `an integer from ${min} to ${max}`)

export const oneOf =
  <const T extends readonly string[]>(values: T): Validator<T[number]> =>
  (value, path) =>
    typeof value === 'string' && (values as readonly string[]).includes(value)
      ? { ok: true, value: value as T[number] }
      : bad(path, `one of ${values.join(', ')}`)

export const boolean: Validator<boolean> = (value, path) =>
  typeof value === 'boolean' ? { ok: true, value } : bad(path, 'true or false')

type Optional<T> = Validator<T | undefined> & { readonly optional: true }

export const optional = <T>(inner: Validator<T>): Optional<T> =>
  Object.assign<Validator<T | undefined>, { optional: true }>(
    (value, path) =>
      value === undefined || value === null ? { ok: true, value: undefined } : inner(value, path),
    { optional: true },
  )

type Shape = Record<string, Validator<unknown>>
type Infer<S extends Shape> = {
  [K in keyof S as S[K] extends Optional<unknown> ? never : K]: S[K] extends Validator<infer T> ? T : never
} & {
  [K in keyof S as S[K] extends Optional<unknown> ? K : never]?: S[K] extends Validator<infer T> ? T : never
}

/** An object with exactly these fields: unknown fields are refused rather than silently passed on. */
export const object =
  <S extends Shape>(shape: S): Validator<Infer<S>> =>
  (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad(path, 'an object')
    const out: Record<string, unknown> = {}
    // hasOwn, not `in`: a field named toString or __proto__ is unknown too, not inherited from Object.prototype.
    for (const key of Object.keys(value))
      if (!Object.hasOwn(shape, key)) return bad(`${path}.${key}`, 'absent (unknown field)')
    for (const [key, validate] of Object.entries(shape)) {
      const result = validate((value as Record<string, unknown>)[key], `${path}.${key}`)
      if (!result.ok) return result
      if (result.value !== undefined) out[key] = result.value
    }
    return { ok: true, value: out as Infer<S> }
  }
