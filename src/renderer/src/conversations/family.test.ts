import { describe, expect, it } from 'vitest'
import {
  descendantsOf,
  familyIndex,
  idsToArchive,
  idsToRestore,
  idsToTrash,
  type FamilyMember,
} from './family'

const member = (id: string, parentId: string, more: Partial<FamilyMember> = {}): FamilyMember => ({
  id,
  parentId,
  deletedAt: null,
  archived: false,
  ...more,
})

// A session with two sub-agents, one of which started a sub-task; and another session's agent.
const TRASHED_AT = 1_700_000_000_000
const members = [
  member('agent-a', 'session'),
  member('agent-b', 'session', { deletedAt: 1_600_000_000_000, archived: true }),
  member('subtask', 'agent-a'),
  member('other-agent', 'other-session'),
]

describe('family actions', () => {
  it('finds every member at any depth, and nothing of another family', () => {
    const index = familyIndex(members)
    expect(descendantsOf(index, 'session').map((m) => m.id)).toEqual(['agent-a', 'subtask', 'agent-b'])
    expect(descendantsOf(index, 'agent-a').map((m) => m.id)).toEqual(['subtask'])
    expect(descendantsOf(index, 'subtask')).toEqual([])
  })

  it('trashes the row with the members still out of the trash', () => {
    expect(idsToTrash(familyIndex(members), 'session')).toEqual(['session', 'agent-a', 'subtask'])
  })

  it('restores the members trashed with the row, not one the person had trashed before', () => {
    const trashed = members.map((m) =>
      m.id === 'agent-a' || m.id === 'subtask' ? { ...m, deletedAt: TRASHED_AT } : m,
    )
    expect(idsToRestore(familyIndex(trashed), 'session', TRASHED_AT)).toEqual([
      'session',
      'agent-a',
      'subtask',
    ])
    // A row that is not in the trash (deletedAt null) brings back none of its trashed members by accident.
    expect(idsToRestore(familyIndex(trashed), 'session', null)).toEqual(['session'])
  })

  it('archives and unarchives the members not already so', () => {
    const index = familyIndex(members)
    expect(idsToArchive(index, 'session', true)).toEqual(['session', 'agent-a', 'subtask'])
    expect(idsToArchive(index, 'session', false)).toEqual(['session', 'agent-b'])
  })

  it('walks parent links that loop (a corrupt import) once, without hanging', () => {
    const index = familyIndex([member('x', 'y'), member('y', 'x')])
    expect(descendantsOf(index, 'x').map((m) => m.id)).toEqual(['y'])
    expect(idsToTrash(index, 'x')).toEqual(['x', 'y'])
  })
})
