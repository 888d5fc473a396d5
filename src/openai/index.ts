export { observeOpenAI } from './observe.js'
export type { ObserveOptions, ChatMessage } from './options.js'
