import { expect } from 'vitest'
import { RepositoryError, type RepositoryErrorCode } from '../errors'

/** Runs `open` expecting a RepositoryError with `code` and a one-line message (the CLI prints it as it is). */
export function expectRefusal(open: () => unknown, code: RepositoryErrorCode): RepositoryError {
  let caught: unknown = null
  try {
    open()
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(RepositoryError)
  const error = caught as RepositoryError
  expect({ code: error.code, message: error.message }).toEqual({
    code,
    message: expect.not.stringContaining('\n'),
  })
  return error
}
