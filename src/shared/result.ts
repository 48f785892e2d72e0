/** Errors cross module and process boundaries as values with a stable code and a message a person can act on. */
export interface Failure<Code extends string = string> {
  readonly code: Code
  readonly message: string
}

export type Result<T, Code extends string = string> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Failure<Code> }

export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value })

export const fail = <Code extends string>(
  code: Code,
  message: string,
): { readonly ok: false; readonly error: Failure<Code> } => ({
  ok: false,
  error: { code, message },
})
