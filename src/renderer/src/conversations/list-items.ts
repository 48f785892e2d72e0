/**
 * The list as the virtualiser draws it: conversations in their order, with a heading wherever the group (day or
 * workspace) changes. Pure, so grouping is tested without a page.
 */
export const GROUPINGS = [
  ['day', 'By day'],
  ['workspace', 'By workspace'],
  ['none', 'No grouping'],
] as const
export type Grouping = (typeof GROUPINGS)[number][0]

interface Groupable {
  readonly id: string
  readonly workspace: string | null
  readonly lastActivityAt: number
}

export type ListItem<T> =
  | { readonly kind: 'heading'; readonly key: string; readonly label: string; readonly count: number }
  | { readonly kind: 'row'; readonly key: string; readonly row: T }

const dayLabel = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
})

/** Local calendar day, so "today" is the user's today. */
const dayKey = (ms: number) => {
  const date = new Date(ms)
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`
}

function groupOf(row: Groupable, grouping: Grouping): { key: string; label: string } {
  if (grouping === 'workspace') {
    const workspace = row.workspace ?? ''
    return { key: workspace, label: workspace === '' ? 'No workspace' : workspace }
  }
  return { key: dayKey(row.lastActivityAt), label: dayLabel.format(row.lastActivityAt) }
}

/**
 * By day follows the list's own order (a heading per run of one day). By workspace gathers each workspace's
 * conversations under one heading, workspaces in the order of their first conversation, keeping the sort within.
 */
export function listItems<T extends Groupable>(rows: readonly T[], grouping: Grouping): ListItem<T>[] {
  if (grouping === 'none') return rows.map((row) => ({ kind: 'row', key: row.id, row }))
  const groups = new Map<string, { label: string; rows: T[] }>()
  const order: string[] = []
  let run = { group: '', key: '' }
  for (const row of rows) {
    const group = groupOf(row, grouping)
    // Days come in runs when sorted by activity; in another order the same day may come back, as a run of its own.
    if (grouping === 'day' && run.group !== group.key)
      run = { group: group.key, key: `${group.key}#${order.length}` }
    const key = grouping === 'day' ? run.key : group.key
    let entry = groups.get(key)
    if (!entry) {
      entry = { label: group.label, rows: [] }
      groups.set(key, entry)
      order.push(key)
    }
    entry.rows.push(row)
  }
  return order.flatMap((key) => {
    const { label, rows: members } = groups.get(key) as { label: string; rows: T[] }
    return [
      { kind: 'heading' as const, key: `heading:${key}`, label, count: members.length },
      ...members.map((row) => ({ kind: 'row' as const, key: row.id, row })),
    ]
  })
}
