/**
 * A conversation with every sub-agent and sub-task under it, at any depth: the piece of work its row stands for.
 * Trashing or archiving the row does the same to the whole family, so no child is left behind as a row of its own
 * on the shelf its parent left (the list nests a child only under a parent that is in the list). Each member still
 * gets its own event, so the audit trail says what happened to every conversation. Pure, tested without a page.
 */

/** A conversation that names a parent, with the flags the family actions read. */
export interface FamilyMember {
  readonly id: string
  readonly parentId: string
  readonly deletedAt: number | null
  readonly archived: boolean
}

/** Children of each parent, built once from the store's answer for the whole library. */
export type FamilyIndex = ReadonlyMap<string, readonly FamilyMember[]>

export function familyIndex(members: readonly FamilyMember[]): FamilyIndex {
  const children = new Map<string, FamilyMember[]>()
  for (const member of members) {
    const siblings = children.get(member.parentId)
    if (siblings) siblings.push(member)
    else children.set(member.parentId, [member])
  }
  return children
}

/** Everything under `id`, depth first; a cycle in the parent links (a corrupt import) is walked once. */
export function descendantsOf(index: FamilyIndex, id: string): FamilyMember[] {
  const out: FamilyMember[] = []
  const seen = new Set([id])
  const visit = (parentId: string) => {
    for (const child of index.get(parentId) ?? []) {
      if (seen.has(child.id)) continue
      seen.add(child.id)
      out.push(child)
      visit(child.id)
    }
  }
  visit(id)
  return out
}

/** Who goes to the trash with `id`: itself and every member not already there. */
export const idsToTrash = (index: FamilyIndex, id: string): string[] => [
  id,
  ...descendantsOf(index, id)
    .filter((member) => member.deletedAt === null)
    .map((member) => member.id),
]

/**
 * Who comes back with `id` from the trash: itself and the members trashed with it (one commit gives them the
 * same time), not those the person had trashed on their own before.
 */
export const idsToRestore = (index: FamilyIndex, id: string, deletedAt: number | null): string[] => [
  id,
  ...descendantsOf(index, id)
    .filter((member) => member.deletedAt !== null && member.deletedAt === deletedAt)
    .map((member) => member.id),
]

/** Who is archived (or unarchived) with `id`: itself and every member not already so. */
export const idsToArchive = (index: FamilyIndex, id: string, archived: boolean): string[] => [
  id,
  ...descendantsOf(index, id)
    .filter((member) => member.archived !== archived)
    .map((member) => member.id),
]
