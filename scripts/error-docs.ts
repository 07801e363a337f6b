/** Writes docs/errors.md from the error registry (`npm run docs:errors`); a unit test keeps them in sync. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ERROR_CODES, FORMER_CODES } from '../src/errors.js';
import { projectRoot } from '../src/paths.js';

export function renderErrorDocs(): string {
  const rows = Object.entries(ERROR_CODES).map(
    ([code, { status, message }]) => `| \`${code}\` | ${status} | ${message} |`,
  );
  return [
    '# Error codes',
    '',
    'Every API error has the shape `{ "error": { "code": "...", "message": "...", "details"?: {...} } }`.',
    'The code is stable and safe to match on; the message is written for the person who sees it.',
    'This file is generated from `src/errors.ts` by `npm run docs:errors`.',
    '',
    '| Code | HTTP status | Meaning and what to do |',
    '| --- | --- | --- |',
    ...rows,
    '',
    ...renamedSection(),
    ...rateLimitSection(),
  ].join('\n');
}

/** Renamed codes: the answer keeps the old one in `formerCode`. */
function renamedSection(): string[] {
  return [
    '## Renamed codes',
    '',
    'These codes were renamed so that each starts with the prefix of the part of the tool it comes from.',
    'An answer with a renamed code also carries the old one as `error.formerCode`; match on `code`.',
    '',
    '| Code | Former code |',
    '| --- | --- |',
    ...Object.entries(FORMER_CODES).map(([code, former]) => `| \`${code}\` | \`${former}\` |`),
    '',
  ];
}

type Rate = { max: number; windowSeconds: number };

/** The limits behind RATE_LIMITED and LTI_DEEP_LINKING_LIMIT, with the defaults from config/default.json. */
function rateLimitSection(): string[] {
  const config = JSON.parse(readFileSync(path.join(projectRoot(), 'config', 'default.json'), 'utf8')) as {
    limits: Record<
      'ltiLogin' | 'dynamicRegistration' | 'spaceJoin' | 'spacePasscode' | 'integratorLaunch' | 'roomRequests',
      Rate
    > & {
      activitiesPerDeepLinkingLaunch: number;
    };
  };
  const { limits } = config;
  const rate = (key: keyof typeof limits, what: string, env: string) => {
    const r = limits[key] as Rate;
    return `| ${what} | ${r.max} per ${r.windowSeconds} s | \`limits.${key}\` (\`${env}\`) |`;
  };
  return [
    '## Rate limits',
    '',
    '`RATE_LIMITED` (429) comes with a `Retry-After` header (seconds) and `details: { retryAfterSeconds, limit,',
    'windowSeconds }`; on the LMS and join-link pages it is an HTML page for the person in front of the browser.',
    'Rates count per client address (`server.trustProxy` decides which address that is; IPv6 per /56), in each',
    "tool process's memory. Defaults:",
    '',
    '| What is counted | Default | Config key (environment) |',
    '| --- | --- | --- |',
    rate('ltiLogin', 'LTI logins, `GET`/`POST /lti/login`', 'LTI_LOGIN_RATE_LIMIT'),
    rate(
      'dynamicRegistration',
      'Dynamic registrations naming an `openid_configuration`, `GET /lti/register`',
      'DYNAMIC_REGISTRATION_RATE_LIMIT',
    ),
    rate('spaceJoin', 'Join links opened, `GET`/`POST /space/join`', 'SPACE_JOIN_RATE_LIMIT'),
    rate('spacePasscode', 'Passcode tries per join link, `POST /space/join`', 'SPACE_PASSCODE_RATE_LIMIT'),
    rate(
      'integratorLaunch',
      'Integrator launches per API key, `POST /api/v1/spaces/launch`, `/api/live-room/create` and `/join`',
      'INTEGRATOR_LAUNCH_RATE_LIMIT',
    ),
    rate(
      'roomRequests',
      'Room requests per launch session (join tokens, hand, leader actions), `POST /api/room/*`',
      'ROOM_REQUEST_RATE_LIMIT',
    ),
    '',
    `\`LTI_DEEP_LINKING_LIMIT\` (429): one deep linking launch created ${limits.activitiesPerDeepLinkingLaunch} live`,
    'classes already (`limits.activitiesPerDeepLinkingLaunch`, `ACTIVITIES_PER_DEEP_LINKING_LAUNCH`).',
    '',
  ];
}

if (process.argv[1]?.endsWith('error-docs.ts')) {
  writeFileSync(path.join(projectRoot(), 'docs', 'errors.md'), renderErrorDocs());
}
