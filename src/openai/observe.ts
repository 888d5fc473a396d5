import type { PollenClient } from '../client/index.js'
import type { ObserveOptions } from './options.js'
import { providerOf, startRecord, type Outcome } from './record.js'

type Json = Record<PropertyKey, any>
type Recorder = ReturnType<typeof startRecord>

/** Folds one streamed chunk (chat completions or responses) into the outcome. */
function fold(outcome: Outcome, chunk: Json): void {
  if (chunk?.usage) outcome.usage = chunk.usage
  const choice = chunk?.choices?.[0]
  if (choice) {
    if (typeof choice.delta?.content === 'string') outcome.content += choice.delta.content
    for (const call of choice.delta?.tool_calls ?? []) {
      const calls = (outcome.tool_calls ??= []) as Json[]
      const index = typeof call.index === 'number' ? call.index : calls.length
      const known = (calls[index] ??= { id: call.id, type: call.type ?? 'function', function: { name: '', arguments: '' } })
      known.id ??= call.id
      if (call.function?.name) known.function.name += call.function.name
      if (call.function?.arguments) known.function.arguments += call.function.arguments
    }
    if (choice.finish_reason) outcome.finish_reason = choice.finish_reason
  }
  // The Responses API streams typed events.
  if (chunk?.type === 'response.output_text.delta' && typeof chunk.delta === 'string') outcome.content += chunk.delta
  if (chunk?.type === 'response.completed') {
    outcome.usage = chunk.response?.usage
    outcome.finish_reason = chunk.response?.status
  }
}

/** The outcome of a whole (not streamed) answer. */
function outcomeOf(result: Json): Outcome {
  const message = result?.choices?.[0]?.message
  return {
    content: typeof message?.content === 'string' ? message.content : typeof result?.output_text === 'string' ? result.output_text : '',
    tool_calls: message?.tool_calls,
    usage: result?.usage,
    finish_reason: result?.choices?.[0]?.finish_reason ?? result?.status,
  }
}

/**
 * An iterator that hands each chunk on as it comes (no buffering, no added
 * delay) and tells `record` what it saw: the end, an early stop (`break`), or
 * a failure, which reaches the app unchanged.
 */
function observeIterator(source: AsyncIterator<Json>, record: Recorder, signal: AbortSignal | undefined): AsyncIterator<Json> {
  const outcome: Outcome = { content: '' }
  return {
    async next(...args: [] | [unknown]) {
      let step: IteratorResult<Json>
      try {
        step = await source.next(...args)
      } catch (error) {
        record.end(outcome, error)
        throw error
      }
      if (step.done) {
        // With an AbortController, the SDK ends the iteration without throwing.
        record.end(outcome, signal?.aborted ? (signal.reason ?? 'aborted') : undefined)
      } else {
        record.chunk()
        fold(outcome, step.value)
      }
      return step
    },
    async return(value?: unknown) {
      // The app stopped reading (`break`): logged with what it got, and no finish_reason.
      delete outcome.finish_reason
      record.end(outcome, signal?.aborted ? (signal.reason ?? 'aborted') : undefined)
      return source.return ? source.return(value) : { done: true, value: value as Json }
    },
    async throw(error?: unknown) {
      record.end(outcome, error)
      if (source.throw) return source.throw(error)
      throw error
    },
  }
}

/**
 * Makes a stream report to `record` without replacing it: the SDK's `Stream`
 * reads its chunks through its `iterator` function (for `for await`, `tee()`
 * and `toReadableStream()` alike), other async iterables through
 * `Symbol.asyncIterator`. Both are replaced on the instance only.
 */
function observeStream(stream: Json, record: Recorder, signal: AbortSignal | undefined): void {
  const key = typeof stream.iterator === 'function' ? 'iterator' : Symbol.asyncIterator
  const original = stream[key] as (this: unknown) => AsyncIterator<Json>
  stream[key] = function (this: unknown) {
    return observeIterator(original.call(this), record, signal)
  }
}

/** Wraps a `create` method: the call goes out unchanged, its result (a promise the SDK may extend) is returned as it is. */
function observeCreate(create: (...args: any[]) => any, owner: unknown, hh: PollenClient, defaults: ObserveOptions, provider: string) {
  return function (params: Json, callOptions?: Json) {
    const { pollen, ...rest } = callOptions ?? {}
    const options: ObserveOptions = { ...defaults, ...pollen }
    const record = startRecord(hh, options, params ?? {}, options.provider ?? provider, Boolean(params?.stream))
    // The per-call Pollen options never reach the model's server.
    const result = create.call(owner, params, callOptions && (pollen === undefined ? callOptions : rest))
    const signal = rest.signal as AbortSignal | undefined
    // A side branch: the SDK's promise (with withResponse(), asResponse()) goes back to the app untouched.
    Promise.resolve(result).then(
      (value: Json) => {
        if (params?.stream && value && (typeof value.iterator === 'function' || typeof value[Symbol.asyncIterator] === 'function')) observeStream(value, record, signal)
        else record.end(outcomeOf(value))
      },
      (error: unknown) => record.end({ content: '' }, error),
    )
    return result
  }
}

/**
 * `target` with some properties seen through `wrap`. Other methods are bound
 * to the real object: SDK classes keep private fields, which a Proxy as
 * `this` cannot reach. What it hands out is kept while the property holds the
 * same value, so `openai.chat === openai.chat` (an app's memo or effect
 * dependencies see one client), and no wrapper is made per read.
 */
function intercept<T extends object>(target: T, wrap: (name: PropertyKey, value: any) => any): T {
  const made = new Map<PropertyKey, [from: unknown, to: unknown]>()
  return new Proxy(target, {
    get(object, name) {
      const value = Reflect.get(object, name)
      const known = made.get(name)
      if (known && known[0] === value) return known[1]
      const result = wrap(name, value) ?? (typeof value === 'function' ? value.bind(object) : value)
      if (result !== value) made.set(name, [value, result])
      return result
    },
  })
}

/**
 * Logs every completion of an OpenAI-compatible client as a `model` event of
 * `hh`: the `openai` package, WebLLM's `MLCEngine`, or any object with
 * `chat.completions.create` (and `responses.create`) in the OpenAI shape.
 * Returns a client of the same shape; calls go out unchanged, and results
 * (streams included) come back as the client returns them.
 *
 * @example
 * const openai = observeOpenAI(new OpenAI({ baseURL, apiKey, dangerouslyAllowBrowser: true }), hh, { parent_id: turn.id })
 * const stream = await openai.chat.completions.create({ model, messages, stream: true }, { pollen: { onStart: (id) => showFeedback(id) } })
 */
export function observeOpenAI<T extends object>(client: T, hh: PollenClient, options: ObserveOptions = {}): T {
  const provider = providerOf((client as Json).baseURL)
  const creating = (owner: Json) => intercept(owner, (name, value) => (name === 'create' && typeof value === 'function' ? observeCreate(value, owner, hh, options, provider) : undefined))
  return intercept(client, (name, value) => {
    if (name === 'responses' && value) return creating(value)
    if (name === 'chat' && value) return intercept(value, (inner, completions) => (inner === 'completions' && completions ? creating(completions) : undefined))
    return undefined
  })
}
