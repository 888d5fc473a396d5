/**
 * "Go offline", simulated inside this page: DevTools can take a tab offline,
 * a page cannot. While on, the client's requests to the proxy fail the way a
 * lost connection does (fetch rejects with a TypeError), `sendBeacon` refuses,
 * `navigator.onLine` reads false, and the window hears `offline`/`online`,
 * which is all Pollen looks at. Other requests (the model, the inspector's
 * reads of the collector) still go through.
 */

const PROXY = '/api/pollen'

let offline = false
let installed = false

function targetsProxy(input: RequestInfo | URL): boolean {
  const url = new URL(input instanceof Request ? input.url : String(input), location.href)
  return url.origin === location.origin && url.pathname.startsWith(PROXY)
}

/** Wraps fetch, sendBeacon and navigator.onLine once; they behave as before while online. */
function install() {
  if (installed) return
  installed = true
  const fetch = window.fetch.bind(window)
  window.fetch = (input, init) =>
    offline && targetsProxy(input) ? Promise.reject(new TypeError('Failed to fetch (simulated offline)')) : fetch(input, init)
  const sendBeacon = navigator.sendBeacon.bind(navigator)
  navigator.sendBeacon = (url, data) => (offline && targetsProxy(url) ? false : sendBeacon(url, data))
  // An own property shadows Navigator.prototype's getter.
  const onLine = Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine')!.get!.bind(navigator)
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => !offline && onLine() })
}

/** Turns the simulated outage on or off. */
export function simulateOffline(on: boolean): void {
  install()
  if (on === offline) return
  offline = on
  window.dispatchEvent(new Event(on ? 'offline' : 'online'))
}
