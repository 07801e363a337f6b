/**
 * One HTTP exchange with a host we do not control (an LMS, an integrator's webhook receiver): bounded in
 * time (the whole exchange, body included) and in size, and never following a redirect. A 3xx comes back
 * as an answer with its `location`, so the caller decides whether and where to go next.
 */

export interface BoundedFetchOptions {
  /** Deadline for the whole exchange, reading the body included. */
  timeoutMs: number;
  /** Largest body read, in bytes (declared or streamed); more is a `too-large` failure. */
  maxBytes: number;
  /** Cancel the body unread (the caller needs only the status). */
  discardBody?: boolean;
  /** An outer signal (e.g. one deadline shared by several exchanges). */
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export interface BoundedAnswer {
  status: number;
  ok: boolean;
  headers: Headers;
  /** The Location header of a 3xx, resolved against the request URL; the redirect is not followed. */
  location?: string;
  /** The body as UTF-8; empty for a 3xx or when discarded. */
  text: string;
}

export type BoundedFetchFailure = 'timeout' | 'unreachable' | 'too-large';

export class BoundedFetchError extends Error {
  override name = 'BoundedFetchError';
  constructor(
    readonly reason: BoundedFetchFailure,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

export async function boundedFetch(
  url: string,
  init: Omit<RequestInit, 'redirect' | 'signal'>,
  options: BoundedFetchOptions,
): Promise<BoundedAnswer> {
  const doFetch = options.fetch ?? fetch;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    const res = await doFetch(url, { ...init, redirect: 'manual', signal });
    const answer = { status: res.status, ok: res.ok, headers: res.headers };
    if (res.status >= 300 && res.status < 400) {
      await cancel(res);
      const location = res.headers.get('location');
      return { ...answer, location: location ? resolve(location, url) : undefined, text: '' };
    }
    if (options.discardBody) {
      await cancel(res);
      return { ...answer, text: '' };
    }
    return { ...answer, text: await readCapped(res, options.maxBytes) };
  } catch (err) {
    if (err instanceof BoundedFetchError) throw err;
    if (timeout.aborted || options.signal?.aborted) {
      throw new BoundedFetchError('timeout', `no answer within ${options.timeoutMs} ms`, { cause: err });
    }
    throw new BoundedFetchError('unreachable', 'the host could not be reached', { cause: err });
  }
}

async function readCapped(res: Response, maxBytes: number): Promise<string> {
  const tooLarge = () => new BoundedFetchError('too-large', `the answer is larger than ${maxBytes} bytes`);
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await cancel(res);
    throw tooLarge();
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const cancel = (res: Response): Promise<void> => res.body?.cancel().catch(() => undefined) ?? Promise.resolve();

function resolve(location: string, base: string): string | undefined {
  try {
    return new URL(location, base).href;
  } catch {
    return undefined;
  }
}
