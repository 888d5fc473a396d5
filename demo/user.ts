const KEY = 'pollen-demo:user-id'

/**
 * The visitor's demo identity, `demo-user-xxxx`, kept in localStorage so that
 * their votes carry the same `user_id` across tabs and visits.
 */
export function demoUserId(): string {
  try {
    const saved = localStorage.getItem(KEY)
    if (saved) return saved
    const id = `demo-user-${crypto.getRandomValues(new Uint16Array(1))[0]!.toString(16).padStart(4, '0')}`
    localStorage.setItem(KEY, id)
    return id
  } catch {
    // Storage can be blocked (privacy settings); an id for this page is enough then.
    return 'demo-user-anon'
  }
}
