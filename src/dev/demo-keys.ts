import {
  createHash,
  createPublicKey,
  generateKeyPair,
  sign,
  verify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';

/** RS256 JWTs with node:crypto only: the demo platform's own key, and verification against a tool's JWKS. */

export interface PublicJwk extends JsonWebKey {
  kty: string;
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: PublicJwk;
}

export type JwtHeader = Record<string, unknown>;
export type JwtPayload = Record<string, unknown>;

/** Why a token was refused; the message is safe to show (it never contains key material). */
export class JwtError extends Error {
  override name = 'JwtError';
}

/** A fresh 2048-bit RSA key, generated off the event loop; the kid is its RFC 7638 thumbprint. */
export async function generateSigningKey(): Promise<SigningKey> {
  const privateKey = await new Promise<KeyObject>((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, _publicKey, key) => (err ? reject(err) : resolve(key)));
  });
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as { kty: string; n: string; e: string };
  const kid = createHash('sha256')
    .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
    .digest('base64url');
  return { kid, privateKey, publicJwk: { kty: jwk.kty, n: jwk.n, e: jwk.e, kid, alg: 'RS256', use: 'sig' } };
}

const b64json = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs with RS256 whatever the header says, so tests can build tokens that lie about their algorithm. */
export function signJwt(privateKey: KeyObject, payload: JwtPayload, header: JwtHeader): string {
  const input = `${b64json(header)}.${b64json(payload)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')}`;
}

export interface DecodedJwt {
  header: JwtHeader;
  payload: JwtPayload;
  signingInput: string;
  signature: Buffer;
}

export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtError('the token is not a compact JWS (three dot-separated parts)');
  const [rawHeader, rawPayload, rawSignature] = parts as [string, string, string];
  const header = parseSegment(rawHeader, 'header');
  const payload = parseSegment(rawPayload, 'payload');
  return {
    header,
    payload,
    signingInput: `${rawHeader}.${rawPayload}`,
    signature: Buffer.from(rawSignature, 'base64url'),
  };
}

function parseSegment(segment: string, name: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new JwtError(`the token ${name} is not a base64url JSON object`);
}

export type KeyResolver = (kid: string | undefined) => Promise<KeyObject>;

/** Checks shape, alg (RS256 only) and signature; the caller checks the claims. */
export async function verifyJwt(token: string, resolveKey: KeyResolver): Promise<DecodedJwt> {
  const decoded = decodeJwt(token);
  if (decoded.header.alg !== 'RS256') throw new JwtError(`alg must be RS256, got ${String(decoded.header.alg)}`);
  const kid = typeof decoded.header.kid === 'string' ? decoded.header.kid : undefined;
  const key = await resolveKey(kid);
  const ok = verify('RSA-SHA256', Buffer.from(decoded.signingInput), key, decoded.signature);
  if (!ok) throw new JwtError('the signature does not verify');
  return decoded;
}

/** exp is required and in the future, iat/nbf (when present) not in the future, all within `skewSeconds`. */
export function checkTimes(payload: JwtPayload, skewSeconds = 60, now = Date.now() / 1000): void {
  const { exp, iat, nbf } = payload;
  if (typeof exp !== 'number') throw new JwtError('exp is missing');
  if (exp + skewSeconds < now) throw new JwtError('the token has expired');
  if (iat !== undefined && (typeof iat !== 'number' || iat - skewSeconds > now)) throw new JwtError('iat is invalid');
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf - skewSeconds > now)) throw new JwtError('not valid yet');
}

export function audienceIncludes(aud: unknown, expected: string): boolean {
  return aud === expected || (Array.isArray(aud) && aud.includes(expected));
}

/**
 * A remote JWKS (the tool's `/lti/keys`): cached, refetched when a token names an unknown kid. Concurrent
 * lookups share one fetch; a failed fetch is a JwtError so callers answer 4xx, never 500.
 */
export class RemoteJwks {
  private keys = new Map<string, KeyObject>();
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly timeoutMs = 5000,
  ) {}

  readonly resolve: KeyResolver = async (kid) => {
    const cached = this.pick(kid);
    if (cached) return cached;
    await (this.inflight ??= this.refresh().finally(() => (this.inflight = undefined)));
    const key = this.pick(kid);
    if (!key) throw new JwtError(kid ? `no key with kid ${kid} in the tool JWKS` : 'the token has no kid');
    return key;
  };

  private pick(kid: string | undefined): KeyObject | undefined {
    if (kid) return this.keys.get(kid);
    // Without a kid only an unambiguous single-key set is acceptable.
    return this.keys.size === 1 ? [...this.keys.values()][0] : undefined;
  }

  private async refresh(): Promise<void> {
    let body: unknown;
    try {
      const res = await fetch(this.url, { signal: AbortSignal.timeout(this.timeoutMs) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      body = await res.json();
    } catch (err) {
      throw new JwtError(`the tool JWKS at ${this.url} could not be fetched (${(err as Error).message})`);
    }
    const list = (body as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(list)) throw new JwtError(`the tool JWKS at ${this.url} has no keys array`);
    const keys = new Map<string, KeyObject>();
    for (const jwk of list as Array<JsonWebKey & { kid?: unknown }>) {
      if (jwk?.kty !== 'RSA' || typeof jwk.kid !== 'string') continue;
      try {
        keys.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
      } catch {
        // skip keys node cannot import
      }
    }
    this.keys = keys;
  }
}
