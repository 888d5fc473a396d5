import type { Message } from './state.js'

const KEY = 'pollen-demo:conversation'

/**
 * The conversation, kept in sessionStorage beside Pollen's session id: a
 * reload shows the same chat, and each answer's widget finds its vote again
 * from the event id.
 */
export function loadChat(): Message[] {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as unknown
    return Array.isArray(saved) ? (saved as Message[]) : []
  } catch {
    return []
  }
}

export function saveChat(messages: Message[]): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(messages))
  } catch {
    // Storage full or blocked: the chat still works, it just won't survive a reload.
  }
}
