import type { Migration } from '../../migration'
import { migration0001 } from './0001-core-tables'
import { migration0002 } from './0002-change-feed'
import { migration0003 } from './0003-full-text-index'
import { migration0004 } from './0004-search-filter-index'
import { migration0005 } from './0005-import-units'
import { migration0006 } from './0006-import-resume'
import { migration0007 } from './0007-hub-eventlog'
import { migration0008 } from './0008-hub-event-names'
import { migration0009 } from './0009-hub-event-pushers'
import { migration0010 } from './0010-messages-left-source'
import { migration0011 } from './0011-usage'
import { migration0012 } from './0012-prefix-indexes'
import { migration0013 } from './0013-message-index-per-transaction'
import { migration0014 } from './0014-request-lines-folded'
import { migration0015 } from './0015-usage-covering-indexes'
import { migration0016 } from './0016-message-prefix-index-of-two'
import { migration0017 } from './0017-body-locations'
import { migration0018 } from './0018-message-images'
import { migration0019 } from './0019-upload-queue-order'
import { migration0020 } from './0020-body-state'

/** In version order. Append new versions; never edit or remove an applied one. */
export const sqliteMigrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
  migration0015,
  migration0016,
  migration0017,
  migration0018,
  migration0019,
  migration0020,
]
