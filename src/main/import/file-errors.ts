/** One wording for file-system failures in import summaries, whichever adapter met them. */
const REASONS: Record<string, string> = {
  ENOENT: 'no longer exists',
  EACCES: 'cannot be read (permission denied)',
  EPERM: 'cannot be read (permission denied)',
  EISDIR: 'is a directory, not a file',
  ELOOP: 'is a symbolic link (not followed)',
}

export function reasonFor(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code
  return code ? (REASONS[code] ?? `cannot be read (${code})`) : `cannot be read (${String(error)})`
}
