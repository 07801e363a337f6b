import assert from 'node:assert/strict';
import type { TestEnvironment } from './test-tool.js';

/** A new integrator key as the admin API answers it: its id, and the key itself (shown only this once). */
export interface CreatedApiKey {
  id: string;
  key: string;
}

/** An integrator API key named `name`, made as the operator makes one: with the admin bearer. */
export async function createApiKey(
  env: Pick<TestEnvironment, 'tool' | 'config'>,
  name: string,
): Promise<CreatedApiKey> {
  const res = await fetch(`${env.tool.url}/api/admin/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.config.admin.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as CreatedApiKey;
}

/**
 * A JSON request as an integrator's backend sends it: the key in `x-api-key`, or no key at all when `key`
 * is null (to see the refusal). The callers read the answer in their own ways.
 */
export function fetchWithApiKey(url: string, method: string, key: string | null, body?: unknown): Promise<Response> {
  return fetch(url, {
    method,
    headers: { ...(key ? { 'x-api-key': key } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
