/**
 * `npm run lti -- platforms add|list|remove|activate|deactivate`: the admin API from a terminal.
 * Talks to a running tool: --url (or TOOL_URL, default http://127.0.0.1:3000) with ADMIN_API_KEY
 * (or, for `npm start`, the key in data/dev-secrets.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/paths.js';

const USAGE = `usage:
  npm run lti -- platforms add --issuer URL --client-id ID --name NAME --auth-login-url URL \\
      --access-token-url URL --jwks-url URL --deployment-id ID [--deployment-id ID ...] \
      [--brand-color '#rrggbb'] [--logo-url https://...]
      (adding an existing issuer + client id merges deployments; a brand option replaces its branding)
  npm run lti -- platforms list
  npm run lti -- platforms remove <id>
  npm run lti -- platforms activate <id>
  npm run lti -- platforms deactivate <id>
options: --url TOOL_URL (default $TOOL_URL or http://127.0.0.1:3000)`;

function adminKey(): string {
  if (process.env.ADMIN_API_KEY) return process.env.ADMIN_API_KEY;
  const file = path.join(process.env.LIVECLASS_DATA_DIR ?? path.join(projectRoot(), 'data'), 'dev-secrets.json');
  if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { adminApiKey: string }).adminApiKey;
  throw new Error('set ADMIN_API_KEY (the tool’s admin API key)');
}

async function call(base: string, method: string, route: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base.replace(/\/$/, '')}/api/admin${route}`, {
    method,
    headers: { authorization: `Bearer ${adminKey()}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const error = (parsed as { error?: { code: string; message: string; details?: unknown } } | undefined)?.error;
    throw new Error(
      `${res.status} ${error?.code ?? ''}: ${error?.message ?? text}${error?.details ? `\n${JSON.stringify(error.details, null, 2)}` : ''}`,
    );
  }
  return parsed;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      issuer: { type: 'string' },
      'client-id': { type: 'string' },
      name: { type: 'string' },
      'auth-login-url': { type: 'string' },
      'access-token-url': { type: 'string' },
      'jwks-url': { type: 'string' },
      'deployment-id': { type: 'string', multiple: true },
      'brand-color': { type: 'string' },
      'logo-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [noun, verb, id] = positionals;
  const base = values.url ?? process.env.TOOL_URL ?? 'http://127.0.0.1:3000';
  if (values.help || noun !== 'platforms') return usage();
  let result: unknown;
  if (verb === 'add') {
    result = await call(base, 'POST', '/platforms', {
      issuer: values.issuer,
      clientId: values['client-id'],
      name: values.name,
      authLoginUrl: values['auth-login-url'],
      accessTokenUrl: values['access-token-url'],
      jwksUrl: values['jwks-url'],
      deploymentIds: values['deployment-id'] ?? [],
      ...brandingOption(values['brand-color'], values['logo-url']),
    });
  } else if (verb === 'list') {
    result = await call(base, 'GET', '/platforms');
  } else if ((verb === 'remove' || verb === 'activate' || verb === 'deactivate') && id) {
    result = await call(
      base,
      verb === 'remove' ? 'DELETE' : 'POST',
      `/platforms/${encodeURIComponent(id)}${verb === 'remove' ? '' : `/${verb}`}`,
    );
    result ??= { removed: id };
  } else {
    return usage();
  }
  console.log(JSON.stringify(result, null, 2));
  return 0;
}

/** Only when a brand option is given: otherwise re-adding a platform keeps its branding. */
function brandingOption(color: string | undefined, logoUrl: string | undefined) {
  if (color === undefined && logoUrl === undefined) return {};
  return { branding: { ...(color ? { color } : {}), ...(logoUrl ? { logoUrl } : {}) } };
}

function usage(): number {
  console.error(USAGE);
  return 2;
}

if (process.argv[1]?.endsWith('lti-cli.ts') || process.argv[1]?.endsWith('lti-cli.js')) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
