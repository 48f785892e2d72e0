/**
 * The `chronicle sync` family's entries in command-specs.ts, kept here so the sync commands read as one unit and the
 * shared table stays short. Only types come back from command-specs.ts, so the two modules do not load each other.
 */
import type { CommandSpec } from './command-specs'

export type SyncCommandName = 'sync setup' | 'sync join' | 'sync status' | 'sync leave'

export const SYNC_COMMANDS: readonly SyncCommandName[] = [
  'sync setup',
  'sync join',
  'sync status',
  'sync leave',
]

export const SYNC_COMMAND_SPECS: readonly CommandSpec[] = [
  {
    name: 'sync setup',
    takesArguments: true,
    usage: [
      [
        'URL',
        "Share this library between your machines through your sync worker at URL: makes the library's key, " +
          'claims the library on the worker and prints the pairing code, a secret that lets whoever holds it read ' +
          'and write the library',
      ],
    ],
  },
  {
    name: 'sync join',
    takesArguments: true,
    usage: [
      [
        'CODE',
        'Join the library another machine set up, with the pairing code it printed (CODE - reads it from stdin, ' +
          "keeping it out of shell history); nothing is written unless the worker accepts the code's key",
      ],
    ],
  },
  {
    name: 'sync status',
    takesArguments: false,
    usage: [
      [
        '',
        "This machine's remote, whether its worker accepts this machine's key now, the library's machines, and " +
          "(while the app or serve runs) the relay's heads and changes waiting",
      ],
    ],
  },
  {
    name: 'sync leave',
    takesArguments: false,
    usage: [
      ['', 'Stop syncing this data directory: removes sync.json and library.key, keeps the local library'],
    ],
  },
]
