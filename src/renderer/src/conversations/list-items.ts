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

/** The group a row falls in: its local day or its workspace. */
const groupKey = (row: Groupable, grouping: Grouping): string =>
  grouping === 'workspace' ? (row.workspace ?? '') : dayKey(row.lastActivityAt)

/** A group's heading, made once per group: formatting a date costs more than all the rest of a row. */
function groupLabel(row: Groupable, grouping: Grouping): string {
  if (grouping === 'workspace') return row.workspace || 'No workspace'
  return dayLabel.format(row.lastActivityAt)
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
    const group = groupKey(row, grouping)
    // Days come in runs when sorted by activity; in another order the same day may come back, as a run of its own.
    if (grouping === 'day' && run.group !== group) run = { group, key: `${group}#${order.length}` }
    const key = grouping === 'day' ? run.key : group
    let entry = groups.get(key)
    if (!entry) {
      entry = { label: groupLabel(row, grouping), rows: [] }
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
