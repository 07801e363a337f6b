import { createHash, createPublicKey, generateKeyPair, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { compactVerify, createRemoteJWKSet, decodeProtectedHeader, errors, type CryptoKey } from 'jose';

/**
 * The demo platform's RS256 JWTs: its own key and signing with node:crypto (tests forge headers that jose
 * would refuse to sign), verification of the tool's JWTs against the tool's JWKS with jose.
 */

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

export interface VerifiedJwt {
  header: JwtHeader;
  payload: JwtPayload;
}

export type KeyResolver = (kid: string | undefined) => Promise<CryptoKey | KeyObject>;

/** Checks shape, alg (RS256 only) and signature with jose; the caller checks the claims. */
export async function verifyJwt(token: string, resolveKey: KeyResolver): Promise<VerifiedJwt> {
  let header: JwtHeader;
  try {
    header = decodeProtectedHeader(token);
    if (token.split('.').length !== 3) throw new Error('not three parts');
  } catch {
    throw new JwtError('the token is not a compact JWS (three dot-separated base64url parts)');
  }
  if (header.alg !== 'RS256') throw new JwtError(`alg must be RS256, got ${String(header.alg)}`);
  const key = await resolveKey(typeof header.kid === 'string' ? header.kid : undefined);
  let payload: unknown;
  try {
    const { payload: bytes } = await compactVerify(token, key, { algorithms: ['RS256'] });
    payload = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new JwtError('the signature does not verify');
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new JwtError('the token payload is not a JSON object');
  }
  return { header, payload: payload as JwtPayload };
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
 * A remote JWKS (the tool's `/lti/keys`) through jose: cached, refetched when a token names an unknown kid
 * (no cooldown: the demo trusts its tool). A failed fetch is a JwtError so callers answer 4xx, never 500.
 */
export class RemoteJwks {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    private readonly url: string,
    timeoutMs = 5000,
  ) {
    this.jwks = createRemoteJWKSet(new URL(url), { timeoutDuration: timeoutMs, cooldownDuration: 0 });
  }

  readonly resolve: KeyResolver = async (kid) => {
    try {
      return await this.jwks({ alg: 'RS256', kid });
    } catch (err) {
      if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
        throw new JwtError(kid ? `no key with kid ${kid} in the tool JWKS` : 'the token has no kid');
      }
      throw new JwtError(`the tool JWKS at ${this.url} could not be fetched (${(err as Error).message})`);
    }
  };
}
