/**
 * Sync between machines as Settings shows and changes it: the library this data directory syncs and its worker,
 * setting one up, joining one with a pairing code, and leaving. Part of the API contract (contract.ts).
 */

export interface SyncMembership {
  /** The library and its worker, or null when this machine syncs with no other. */
  readonly remote: {
    readonly url: string
    readonly storeId: string
    /** Set up here (its key was made here), or joined with a pairing code. */
    readonly role: 'set-up' | 'joined'
    /** ISO 8601. */
    readonly joinedAt: string
  } | null
  /** A key left by an interrupted setup or join, with no settings: leaving removes it. */
  readonly strayKey: boolean
}

/** After setting up: the pairing code for the other machines. It is a secret: it holds the library key. */
export interface SyncSetUpResult extends SyncMembership {
  readonly pairingCode: string
  /** The events of this library's history sent up first. */
  readonly eventsSent: number
}

/** After joining: this machine's own library, when it had one, goes into the joined one. */
export interface SyncJoinResult extends SyncMembership {
  /** The worker did not know the library (its storage was reset, or another worker): the key claimed it now. */
  readonly claimedNow: boolean
  readonly merged: {
    readonly conversations: number
    readonly messages: number
    /** The old audit trail, exported and signed before it was left behind, and the key that signed it. */
    readonly trailExport: string
    readonly eventsExported: number
    readonly signedBy: string
  } | null
}

/**
 * Where a long step of a setup or join stands (sync/library-membership.ts on the main side). The command line
 * draws it on its progress line and Settings under its spinner, in the same words (describeMembershipStep).
 */
export type MembershipStep =
  | {
      readonly step: 'catching-up-trail' | 'exporting-trail' | 'sending-history'
      readonly done: number
      readonly total: number
    }
  | { readonly step: 'preparing-merge' }

const count = (n: number) => n.toLocaleString('en-US')

export function describeMembershipStep(step: MembershipStep): string {
  switch (step.step) {
    case 'catching-up-trail':
      return `Bringing the audit trail up to date: ${count(step.done)} of ${count(step.total)} changes`
    case 'exporting-trail':
      return `Exporting this library's audit trail: ${count(step.done)} of ${count(step.total)} events`
    case 'sending-history':
      return `Sending this library's history up: ${count(step.done)} of ${count(step.total)} events`
    case 'preparing-merge':
      return 'Preparing this library to go into the one it joins'
  }
}
