import { useEffect, useState } from 'preact/hooks'

/** The current time, ticking every `ms` while `active`: for countdowns. */
export function useNow(active: boolean, ms = 250): number {
  const [now, setNow] = useState(Date.now)
  useEffect(() => {
    if (!active) return
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(timer)
  }, [active, ms])
  return now
}
