/**
 * What a filter menu offers: the library's values of its kind as counted (most used first), and the chosen value
 * even where the counts do not hold it. The counts are taken when the page is first idle, after the list is drawn,
 * and a filter restored from the last session must show as chosen before then; and when the last conversation with
 * the chosen value is deleted, the menu must go on saying what the list is filtered by, not "Any …".
 */
import type { FilterChoice } from './conversation-query'

export interface MenuOption {
  readonly value: string
  readonly label: string
}

/** The choices before the first count. */
export const NOT_COUNTED_YET: readonly FilterChoice[] = []

export function menuOptions(
  choices: readonly FilterChoice[],
  kind: string,
  chosen: string | null,
): MenuOption[] {
  const counted = choices
    .filter((choice) => choice.kind === kind)
    .map((choice) => ({ value: choice.value, label: `${choice.value} (${choice.n})` }))
  if (chosen === null || counted.some((option) => option.value === chosen)) return counted
  return [{ value: chosen, label: chosen }, ...counted]
}
