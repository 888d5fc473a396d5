/** HoneyHive's error body (newer servers); proxies in front of it may answer HTML instead. */
export interface ErrorBody {
  statusCode: number
  message: string
  success: false
  errorCode: string
}

/** The error body HoneyHive would send, for servers that speak its API. */
export function errorBody(status: number, errorCode: string, message: string): ErrorBody {
  return { statusCode: status, message, success: false, errorCode }
}

/** The `message` of an error answer's JSON, when it has one. */
export function errorMessage(answer: unknown): string | undefined {
  const message = (answer as { message?: unknown } | null | undefined)?.message
  return typeof message === 'string' ? message : undefined
}
