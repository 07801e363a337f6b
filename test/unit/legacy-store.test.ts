import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { moveAsideSqliteStore } from '../../src/dev/stack/legacy-store.js';

describe('a ./data left by the SQLite version of npm start', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'legacy-store-test-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  function sqliteStore(): string {
    const dir = path.join(dataDir, 'ferretdb', 'sqlite');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'liveclass.sqlite'), 'old launches');
    return dir;
  }

  it('does nothing to a data folder without SQLite files', () => {
    mkdirSync(path.join(dataDir, 'ferretdb'));
    writeFileSync(path.join(dataDir, 'dev-secrets.json'), '{}');
    assert.equal(moveAsideSqliteStore(dataDir), undefined);
    assert.deepEqual(readdirSync(dataDir).sort(), ['dev-secrets.json', 'ferretdb']);
  });

  it('drops an empty sqlite folder without a word', () => {
    mkdirSync(path.join(dataDir, 'ferretdb', 'sqlite'), { recursive: true });
    assert.equal(moveAsideSqliteStore(dataDir), undefined);
    assert.equal(existsSync(path.join(dataDir, 'ferretdb', 'sqlite')), false);
  });

  it('moves the SQLite files aside untouched and says what moved, why, and what is not carried over', () => {
    const old = sqliteStore();
    const message = moveAsideSqliteStore(dataDir) ?? '';
    const kept = path.join(dataDir, 'ferretdb-sqlite-old');
    assert.equal(existsSync(old), false);
    assert.equal(readFileSync(path.join(kept, 'liveclass.sqlite'), 'utf8'), 'old launches');
    assert.ok(message.includes(old), message);
    assert.ok(message.includes(kept), message);
    assert.match(message, /now FerretDB on PostgreSQL/);
    assert.match(message, /not carried over/);
    assert.match(message, /registered again/);
  });

  it('never overwrites an earlier moved-aside store', () => {
    sqliteStore();
    moveAsideSqliteStore(dataDir);
    sqliteStore();
    const message = moveAsideSqliteStore(dataDir) ?? '';
    assert.ok(existsSync(path.join(dataDir, 'ferretdb-sqlite-old', 'liveclass.sqlite')));
    assert.ok(existsSync(path.join(dataDir, 'ferretdb-sqlite-old-2', 'liveclass.sqlite')));
    assert.ok(message.includes(path.join(dataDir, 'ferretdb-sqlite-old-2')), message);
  });
});
