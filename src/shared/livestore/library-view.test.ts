/**
 * The library view is the page's own: its set event is client-only (LiveStore's leader never pushes those) and is
 * not among the events the hub decodes, so a client that pushed one anyway would be refused. A stored view that
 * no longer decodes (a shelf or a sort since removed, a wrong type) falls back to the defaults rather than
 * stopping the list.
 */
import { Schema } from '@livestore/livestore'
import { describe, expect, it } from 'vitest'
import { NO_FILTERS, libraryView } from './library-view'
import { events, schema } from './schema'

const stored = Schema.decodeUnknownSync(libraryView.sqliteDef.columns.value.schema)

describe('library view', () => {
  it('is set by a client-only event that is not one of the events the hub accepts', () => {
    const setEvent = schema.eventsDefsMap.get(libraryView.set.name)
    expect(setEvent?.options.clientOnly).toBe(true)
    expect(Object.values(events).map((event) => event.name)).not.toContain(libraryView.set.name)
  })

  it('reads a stored view back as it was', () => {
    const view = {
      filters: { ...NO_FILTERS, source: 'roo', shelf: 'starred' },
      grouping: 'workspace',
      selectedId: 'c1',
      showTrivial: true,
      expanded: ['c1', 'c2'],
    }
    expect(stored(JSON.stringify(view))).toEqual(view)
  })

  it('reads a view stored before the trivial sub-agent toggle as it was, with them hidden', () => {
    const view = { filters: { ...NO_FILTERS, source: 'roo' }, grouping: 'workspace', selectedId: 'c1' }
    expect(stored(JSON.stringify(view))).toEqual({ ...view, showTrivial: false, expanded: [] })
  })

  it('reads a view stored before parents were remembered open with every parent closed', () => {
    const view = { filters: NO_FILTERS, grouping: 'day', selectedId: null, showTrivial: true }
    expect(stored(JSON.stringify(view))).toEqual({ ...view, expanded: [] })
    // Bad input: an id list of the wrong type decodes as no parent open, and the filters are kept.
    expect(stored(JSON.stringify({ ...view, expanded: [1, 2] }))).toMatchObject({
      filters: NO_FILTERS,
      expanded: [],
    })
  })

  it('falls back to the defaults for what no longer decodes', () => {
    // Bad input: a shelf that does not exist, a grouping of the wrong type, a missing field.
    const view = stored(JSON.stringify({ filters: { ...NO_FILTERS, shelf: 'pinned' }, grouping: 7 }))
    expect(view).toMatchObject({ grouping: 'day', selectedId: null, showTrivial: false })
    expect(view.filters.shelf).toBe('all')
  })
})
