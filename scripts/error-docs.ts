/** Writes docs/errors.md from the error registry (`npm run docs:errors`); a unit test keeps them in sync. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ERROR_CODES } from '../src/errors.js';
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
  ].join('\n');
}

if (process.argv[1]?.endsWith('error-docs.ts')) {
  writeFileSync(path.join(projectRoot(), 'docs', 'errors.md'), renderErrorDocs());
}
