/** The suggestions scenario's figures as the tables printed on stdout and stored with the JSON. */
import type { Table } from '../../lib/table'
import type { SuggestionFigures } from './measure-suggestions'

export function suggestionTables(f: SuggestionFigures & { readonly messages: number }): Table[] {
  return [
    {
      title: `Normal path (5 messages or more): full-text search alone, and as the repository answers it (${f.messages.toLocaleString('en-US')} messages)`,
      headers: ['query', 'hits', 'plain p50', 'plain p95', 'answer p50', 'answer p95'],
      fixed: ['plain p50', 'plain p95', 'answer p50', 'answer p95'],
      rows: f.normal.map((n) => [
        n.name,
        n.hits,
        n.plain.p50,
        n.plain.p95,
        n.withSuggestions.p50,
        n.withSuggestions.p95,
      ]),
      note: `${f.runs} runs of each, alternating; the answer decides whether to suggest and, with enough hits, does not.`,
    },
    {
      title: 'Misspelled words: the whole answer with its suggestions (ms)',
      headers: [
        'word',
        'query',
        'hits',
        'p50',
        'p95',
        'blocked p50',
        'blocked max',
        'other p50',
        'suggested',
      ],
      fixed: ['p50', 'p95', 'blocked p50', 'blocked max', 'other p50'],
      rows: f.typos.map((t) => [
        t.name,
        t.query,
        t.hits,
        t.latency.p50,
        t.latency.p95,
        t.blocked.p50,
        t.blocked.max,
        t.searchDuring.p50,
        t.suggestions.join(', '),
      ]),
      note:
        'blocked: the longest the event loop went without a turn during the answer (a 1 ms timer). other: a common' +
        " word's search as you type, asked while this word's suggestions are computed.",
    },
    {
      title:
        'The misspelled words typed letter by letter, as the search field asks (no suggestions in the answer)',
      headers: ['keystrokes', 'p50', 'p95', 'p99', 'max'],
      fixed: ['p50', 'p95', 'p99', 'max'],
      rows: [[f.typing.keystrokes, f.typing.p50, f.typing.p95, f.typing.p99, f.typing.max]],
      note: 'The search field asks for suggestions apart, once typing pauses (searchSuggestions).',
    },
  ]
}
