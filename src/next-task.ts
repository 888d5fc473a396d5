/**
 * Resolves in a later task, so that what follows does not lengthen the
 * current one (a task over 50 ms is a dropped frame for the page):
 * `scheduler.yield()` where the browser has it (Chromium 129), else a
 * MessageChannel message. Not setTimeout(0): nested, it waits 4 ms, and in a
 * hidden tab up to a second.
 */
export function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler
  if (scheduler?.yield) return scheduler.yield()
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel()
    port1.onmessage = () => {
      port1.close()
      resolve()
    }
    port2.postMessage(0)
  })
}
