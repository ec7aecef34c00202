/**
 * How long verify waits for the cluster and AWS, and how often it tries: every request has a connect
 * timeout and a whole-request timeout, and is tried a bounded number of times, so an endpoint that
 * accepts and never answers ends the command instead of hanging it.
 */
export interface ReadLimits {
  /** Milliseconds to establish a connection. */
  connectTimeoutMs: number;
  /** Milliseconds for one attempt of one request, from sending to the last byte of the answer. */
  requestTimeoutMs: number;
  /** Attempts per request, the first included. */
  attempts: number;
}

export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 10;
/** AWS SDK v3's default (retry mode standard); the same for the Kubernetes API. */
export const ATTEMPTS = 3;

export function readLimits(requestTimeoutSeconds = DEFAULT_REQUEST_TIMEOUT_SECONDS): ReadLimits {
  const requestTimeoutMs = Math.round(requestTimeoutSeconds * 1000);
  return { requestTimeoutMs, connectTimeoutMs: Math.min(requestTimeoutMs, 5000), attempts: ATTEMPTS };
}

/** The cluster or AWS could not be read: verify exits 3 with this one-line reason. */
export class UnreachableError extends Error {
  name = "UnreachableError";
  constructor(
    readonly what: "the cluster" | "AWS",
    reason: string,
  ) {
    super(`cannot read ${what}: ${oneLine(reason)}`);
  }

  /** Several failures as one line: `cannot read the cluster: ...; cannot read AWS: ...`. */
  static joined(errors: readonly UnreachableError[]): UnreachableError {
    const joined = new UnreachableError(errors[0].what, "");
    joined.message = errors.map((e) => e.message).join("; ");
    return joined;
  }
}

export const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, " ").trim();

export const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;
