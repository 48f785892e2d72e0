/**
 * "Did you mean": the one threshold both sides read. The repository corrects a query whose first page holds fewer
 * messages than this, and the search field asks for corrections below it too.
 */
export const SUGGEST_BELOW = 5
