import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderErrorDocs } from '../../scripts/error-docs.js';
import { ERROR_CODES } from '../../src/errors.js';
import { projectRoot } from '../../src/paths.js';

describe('error registry', () => {
  it('docs/errors.md is up to date (run `npm run docs:errors`)', () => {
    assert.equal(readFileSync(path.join(projectRoot(), 'docs', 'errors.md'), 'utf8'), renderErrorDocs());
  });

  it('every code is UPPER_SNAKE with a 4xx/5xx status and a sentence', () => {
    for (const [code, { status, message }] of Object.entries(ERROR_CODES)) {
      assert.match(code, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      assert.ok(status >= 400 && status < 600, code);
      assert.match(message, /^[A-Z].*\.$/, code);
    }
  });
});
