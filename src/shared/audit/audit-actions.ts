/**
 * The names of the events in the audit trail (the LiveStore schema's event names), listed here without loading
 * LiveStore so the CLI and the renderer's filters can use them; a test keeps the two lists equal.
 */
export const AUDIT_ACTIONS: readonly string[] = [
  'v1.ConversationImported',
  'v1.ConversationCreated',
  'v1.ConversationRenamed',
  'v1.ConversationStarred',
  'v1.ConversationUnstarred',
  'v1.ConversationTagged',
  'v1.ConversationArchived',
  'v1.ConversationUnarchived',
  'v1.ConversationDeleted',
  'v1.ConversationRestored',
  'v1.ConversationPurged',
  'v1.MessagesAppended',
  'v1.MessagesUpdated',
  'v1.MessagesDeleted',
  'v1.DeviceRegistered',
  'v1.DeviceRenamed',
  'v1.DeviceConnected',
  'v1.DeviceDisconnected',
  'v1.ImportStarted',
  'v1.ImportFinished',
  'v1.PricesChanged',
  'v1.BodiesPacked',
  'v1.RemoteEventRefused',
]
