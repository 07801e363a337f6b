import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoPlatform, SignHeader } from '../../src/dev/demo-platform.js';
import type { IdTokenInput } from '../../src/dev/demo-claims.js';
import { generateSigningKey, signJwt } from '../../src/dev/demo-keys.js';

export type { DemoPlatform, IdTokenInput, SignHeader };

/** A signed id_token from the demo platform; `overrides` replace claims (undefined deletes one). */
export function signIdToken(
  platform: DemoPlatform,
  input: IdTokenInput,
  overrides: Record<string, unknown> = {},
  header?: SignHeader,
): string {
  const claims = { ...platform.idTokenClaims(input), ...overrides };
  for (const [name, value] of Object.entries(overrides)) if (value === undefined) delete claims[name];
  return platform.sign(claims, header);
}

export interface FakeTool {
  /** `http://127.0.0.1:<port>/keys`, serving the JWKS of `kid`. */
  jwksUrl: string;
  kid: string;
  /** RS256 with the fake tool's key (kid in the header unless overridden). */
  sign(payload: Record<string, unknown>, header?: Record<string, unknown>): string;
  close(): Promise<void>;
}

/** A stand-in for the tool's `/lti/keys`, so platform tests can verify tool-signed JWTs without ltijs. */
export async function startFakeTool(): Promise<FakeTool> {
  const key = await generateSigningKey();
  const server = createServer((req, res) => {
    if (req.url !== '/keys') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [key.publicJwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/keys`,
    kid: key.kid,
    sign: (payload, header = {}) =>
      signJwt(key.privateKey, payload, { alg: 'RS256', typ: 'JWT', kid: key.kid, ...header }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
