/**
 * The list as the virtualiser draws it: conversations in their order, with a heading wherever the group (day or
 * workspace) changes. Pure, so grouping is tested without a page. A nested row (a sub-agent drawn under its
 * parent, nest-rows.ts) stays with its parent's group and is not counted in its heading: a group counts pieces
 * of work.
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
  /** Above 0 for a row nested under the row before it. */
  readonly depth?: number
}

const nested = (row: Groupable): boolean => (row.depth ?? 0) > 0

export type ListItem<T> =
  | { readonly kind: 'heading'; readonly key: string; readonly label: string; readonly count: number }
  | { readonly kind: 'row'; readonly key: string; readonly row: T }

const dayLabel = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
})

/**
 * The local calendar day of a time (so "today" is the user's today), remembering the last day's bounds: rows
 * sorted by activity come in runs of one day, and most of them need no date arithmetic at all.
 */
function makeDayOf(): (ms: number) => string {
  let start = Number.POSITIVE_INFINITY
  let end = Number.NEGATIVE_INFINITY
  let key = ''
  return (ms) => {
    if (ms >= start && ms < end) return key
    const date = new Date(ms)
    const [year, month, day] = [date.getFullYear(), date.getMonth(), date.getDate()]
    // Local midnights, so a day of 23 or 25 hours (daylight saving) has its true bounds.
    start = new Date(year, month, day).getTime()
    end = new Date(year, month, day + 1).getTime()
    key = `${year}-${month}-${day}`
    return key
  }
}

type Heading = { kind: 'heading'; key: string; label: string; count: number }

/**
 * By day follows the list's own order (a heading per run of one day). By workspace gathers each workspace's
 * conversations under one heading, workspaces in the order of their first conversation, keeping the sort within.
 * One pass and one object per item: the list is made again whenever the store's answer changes.
 */
export function listItems<T extends Groupable>(rows: readonly T[], grouping: Grouping): ListItem<T>[] {
  if (grouping === 'none') return rows.map((row) => ({ kind: 'row', key: row.id, row }))
  if (grouping === 'day') return byDay(rows)
  const groups = new Map<string, { heading: Heading; rows: ListItem<T>[] }>()
  let current: { heading: Heading; rows: ListItem<T>[] } | undefined
  for (const row of rows) {
    if (current && nested(row)) {
      current.rows.push({ kind: 'row', key: row.id, row })
      continue
    }
    const workspace = row.workspace ?? ''
    let group = groups.get(workspace)
    if (!group) {
      // Formatting a label costs more than all the rest of a row: once per group.
      const label = workspace === '' ? 'No workspace' : workspace
      group = { heading: { kind: 'heading', key: `heading:${workspace}`, label, count: 0 }, rows: [] }
      groups.set(workspace, group)
    }
    group.heading.count += 1
    group.rows.push({ kind: 'row', key: row.id, row })
    current = group
  }
  const items: ListItem<T>[] = []
  for (const { heading, rows: members } of groups.values()) {
    items.push(heading)
    for (const item of members) items.push(item)
  }
  return items
}

// Days come in runs when sorted by activity; in another order the same day may come back, as a run of its own.
function byDay<T extends Groupable>(rows: readonly T[]): ListItem<T>[] {
  const dayOf = makeDayOf()
  const items: ListItem<T>[] = []
  let heading: Heading | null = null
  let runDay = ''
  let runs = 0
  for (const row of rows) {
    if (heading !== null && nested(row)) {
      items.push({ kind: 'row', key: row.id, row })
      continue
    }
    const day = dayOf(row.lastActivityAt)
    if (heading === null || day !== runDay) {
      runDay = day
      heading = {
        kind: 'heading',
        key: `heading:${day}#${runs}`,
        label: dayLabel.format(row.lastActivityAt),
        count: 0,
      }
      runs += 1
      items.push(heading)
    }
    heading.count += 1
    items.push({ kind: 'row', key: row.id, row })
  }
  return items
}
