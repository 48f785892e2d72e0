/**
 * Says how many trivial sub-agent runs the list holds (Claude Code's "Warmup" agents: a prompt and a reply, no
 * work) and whether they are drawn under their parents. Hidden by default, but never silently: the count stays
 * in view, and the choice is kept with the window's library view.
 */
export function TrivialToggle({
  count,
  hidden,
  showTrivial,
  onShowTrivial,
}: {
  readonly count: number
  readonly hidden: number
  readonly showTrivial: boolean
  readonly onShowTrivial: (next: boolean) => void
}) {
  if (count === 0) return null
  const runs = count === 1 ? 'trivial sub-agent' : 'trivial sub-agents'
  return (
    <label
      className="trivial-toggle muted"
      data-testid="trivial-toggle"
      title="Sub-agent runs with one prompt and no tool use, such as Claude Code's Warmup agents"
    >
      <input
        type="checkbox"
        checked={showTrivial}
        onChange={(event) => onShowTrivial(event.target.checked)}
      />
      Show {count.toLocaleString()} {runs}
      {!showTrivial && hidden > 0 && (
        <span data-testid="trivial-hidden"> ({hidden.toLocaleString()} hidden)</span>
      )}
    </label>
  )
}
