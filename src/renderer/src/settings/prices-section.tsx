import { useEffect, useState, type FormEvent } from 'react'
import type { ChronicleApi, PricesInfo } from '../../../shared/api/contract'

type Message = { readonly error: boolean; readonly text: string }

const changedText = (changed: NonNullable<PricesInfo['changed']>) =>
  `Costs recomputed in ${(changed.ms / 1000).toLocaleString(undefined, { maximumFractionDigits: 1 })} s: ` +
  `${changed.responses.toLocaleString()} responses and ${changed.conversations.toLocaleString()} conversations changed.`

/**
 * The price table costs are computed with (bundled, or a LiteLLM price file the user chose), its date and source,
 * and changing it: every stored cost is recomputed and the change is recorded in the audit trail.
 */
export function PricesSection({ api }: { readonly api: ChronicleApi }) {
  const [prices, setPrices] = useState<PricesInfo | null>(null)
  const [path, setPath] = useState('')
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<Message | null>(null)

  useEffect(() => {
    let current = true
    void api.call('prices', {}).then((result) => {
      if (!current) return
      if (result.ok) setPrices(result.value as PricesInfo)
      else setMessage({ error: true, text: result.error.message })
    })
    return () => {
      current = false
    }
  }, [api])

  const change = async (call: () => ReturnType<ChronicleApi['call']>) => {
    setBusy(true)
    setMessage(null)
    const result = await call()
    setBusy(false)
    if (!result.ok) return setMessage({ error: true, text: result.error.message })
    const next = result.value as PricesInfo
    setPrices(next)
    setPath('')
    if (next.changed) setMessage({ error: false, text: changedText(next.changed) })
  }
  const use = (event: FormEvent) => {
    event.preventDefault()
    void change(() => api.call('pricesUse', { path: path.trim() }))
  }

  const table = prices?.table
  return (
    <section className="settings-section" aria-labelledby="prices-heading" data-testid="prices-section">
      <h2 id="prices-heading">Prices</h2>
      {table ? (
        <p data-testid="prices-table">
          Costs are computed with {table.bundled ? 'the bundled price table' : 'the price file you chose'}, of{' '}
          <strong>{table.date}</strong> ({table.models.toLocaleString()} models), from{' '}
          <code>{table.source}</code>. A model the table lacks is shown as unpriced, never as $0.
        </p>
      ) : (
        <p className="muted" aria-busy="true">
          Loading the price table…
        </p>
      )}
      {prices?.problem && (
        <p role="alert" className="settings-error">
          {prices.problem}
        </p>
      )}
      <form className="add-source" onSubmit={use}>
        <label>
          Price file
          <input
            value={path}
            onChange={(event) => setPath(event.target.value)}
            placeholder="/home/you/Downloads/model_prices_and_context_window.json"
            aria-label="Price file path"
            aria-describedby="prices-help"
            disabled={busy}
          />
        </label>
        <button type="submit" disabled={busy || path.trim() === ''}>
          Use this price file
        </button>
        {table && !table.bundled && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void change(() => api.call('pricesReset', {}))}
          >
            Back to the bundled prices
          </button>
        )}
      </form>
      <p id="prices-help" className="muted">
        A newer copy of LiteLLM&apos;s <code>model_prices_and_context_window.json</code> (the bundled
        table&apos;s format), by its full path in your home folder. Every stored cost is recomputed, and the
        change is recorded in the audit trail.
      </p>
      {busy && (
        <p role="status" className="muted">
          Recomputing costs…
        </p>
      )}
      {message && (
        <p role={message.error ? 'alert' : 'status'} className={message.error ? 'settings-error' : 'muted'}>
          {message.text}
        </p>
      )}
    </section>
  )
}
