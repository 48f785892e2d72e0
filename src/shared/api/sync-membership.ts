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
