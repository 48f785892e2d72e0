/**
 * LiveStore's own session→leader batch size: the main process's store and the page split a larger commit into
 * commits of this many events.
 */
export const MAX_EVENTS_PER_COMMIT = 100
