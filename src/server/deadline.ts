/**
 * Settles with `work`, or with `fallback` once `deadline` (ms since the epoch)
 * passes, whichever comes first. `work` may reject; a late one is ignored.
 */
export function byDeadline<T, F = T>(work: Promise<T>, deadline: number, fallback: F): Promise<T | F> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), Math.max(0, deadline - Date.now()))))
  work.catch(() => undefined)
  return Promise.race([work, late]).finally(() => clearTimeout(timer))
}
