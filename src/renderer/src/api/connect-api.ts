/**
 * Picks the transport for the API contract: the Electron preload's bridge when the page runs in the desktop
 * window, otherwise HTTP to the web host that served the page, authenticated with its launch token.
 */
import { API_GLOBAL, type ChronicleApi } from '../../../shared/api/contract'
import { fail } from '../../../shared/result'

const TOKEN_KEY = 'chronicle.launchToken'

/** Takes the token out of the address bar (so it is not bookmarked, shared or shown) and keeps it for this tab. */
function launchToken(): string | null {
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl)
    url.searchParams.delete('token')
    window.history.replaceState(null, '', url.pathname + url.search + url.hash)
    return fromUrl
  }
  return sessionStorage.getItem(TOKEN_KEY)
}

function httpApi(token: string | null): ChronicleApi {
  return {
    async call(method, args) {
      try {
        const response = await fetch(`./api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token ?? ''}` },
          body: JSON.stringify(args),
        })
        return await response.json()
      } catch {
        return fail('DISCONNECTED', 'Chronicle is not reachable; is `chronicle serve` still running?')
      }
    },
  }
}

export function connectApi(): ChronicleApi {
  const bridged = (window as unknown as Record<string, ChronicleApi | undefined>)[API_GLOBAL]
  return bridged ?? httpApi(launchToken())
}
