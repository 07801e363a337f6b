import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { asciiFallback, contentDisposition } from '../../src/http/content-disposition.js';
import { projectRoot } from '../../src/paths.js';
import { downloadName, fileDate, safeTitle } from '../../src/recordings/download-name.js';
import {
  listedFor,
  managesRecordings,
  seesRecordings,
  watchBasis,
  type Viewer,
  type Viewers,
} from '../../src/recordings/recording-access.js';
import { isPlainFileName, mediaTypeOf, openRecordingsFolder } from '../../src/recordings/recording-files.js';
import { createRecordingLinks, linkKeyOf } from '../../src/recordings/recording-links.js';
import type { RecordingStatus } from '../../src/recordings/recording.js';

const SECRETS = {
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: 's'.repeat(32),
  LTI_ENCRYPTION_KEY: 'e'.repeat(32),
  ADMIN_API_KEY: 'a'.repeat(24),
};

describe('recordings: who may see, watch and manage them', () => {
  const teacher: Viewer = { kind: 'person', identity: 'i-1', role: 'instructor' };
  const student: Viewer = { kind: 'person', identity: 'p-1', role: 'participant' };
  const observer: Viewer = { kind: 'person', identity: 'o-1', role: 'observer' };
  const api: Viewer = { kind: 'api', apiKeyId: 'key_1' };
  const ready = (published = false) => ({ status: 'ready' as RecordingStatus, published });

  // [viewer, viewers, recording, basis it is watched on, listed, sees the class's recordings at all]
  const table: Array<
    [string, Viewer, Viewers, { status: RecordingStatus; published: boolean }, string | undefined, boolean, boolean]
  > = [
    ['teacher, teachers only', teacher, 'instructors', ready(), 'teacher', true, true],
    [
      'teacher, recording in progress',
      teacher,
      'course',
      { status: 'recording', published: false },
      undefined,
      true,
      true,
    ],
    ['teacher, failed', teacher, 'published', { status: 'failed', published: false }, undefined, true, true],
    ['teacher, deleted', teacher, 'course', { status: 'deleted', published: true }, undefined, true, true],
    ['student, teachers only', student, 'instructors', ready(true), undefined, false, false],
    ['student, whole course', student, 'course', ready(), 'course', true, true],
    [
      'student, whole course, in progress',
      student,
      'course',
      { status: 'recording', published: false },
      undefined,
      false,
      true,
    ],
    ['student, published: not yet', student, 'published', ready(false), undefined, false, true],
    ['student, published', student, 'published', ready(true), 'published', true, true],
    [
      'student, published but deleted',
      student,
      'published',
      { status: 'deleted', published: true },
      undefined,
      false,
      true,
    ],
    ['observer, whole course', observer, 'course', ready(), 'course', true, true],
    ['observer, teachers only', observer, 'instructors', ready(), undefined, false, false],
    ['integrator, teachers only', api, 'instructors', ready(), 'api', true, true],
    ['integrator, starting', api, 'published', { status: 'starting', published: false }, undefined, true, true],
  ];
  for (const [name, viewer, viewers, r, basis, listed, sees] of table) {
    it(name, () => {
      assert.equal(watchBasis(viewer, viewers, r), basis);
      assert.equal(listedFor(viewer, viewers, r), listed);
      assert.equal(seesRecordings(viewer, viewers), sees);
    });
  }
  it('lets teachers and the integrator manage, nobody else', () => {
    assert.deepEqual([teacher, student, observer, api].map(managesRecordings), [true, false, false, true]);
  });
});

describe('recordings: download names and Content-Disposition', () => {
  const at = new Date('2026-12-03T13:05:09Z');
  const cases: Array<[string, string, string]> = [
    ['Física 101', 'Física 101', 'Fisica 101'],
    ['  Algebra: week 3 / part "b"  ', 'Algebra week 3 part b', 'Algebra week 3 part b'],
    ['../../etc/passwd', 'etc passwd', 'etc passwd'],
    ['evil\u202Egnp.exe', 'evil gnp.exe', 'evil gnp.exe'],
    ['Tab\tand\nnewline', 'Tab and newline', 'Tab and newline'],
    ['日本語の授業', '日本語の授業', '______'],
    ['...', 'Recording', 'Recording'],
    ['100% done', '100% done', '100_ done'],
    ['a'.repeat(120), 'a'.repeat(80), 'a'.repeat(80)],
  ];
  for (const [title, safe, ascii] of cases) {
    it(`names ${JSON.stringify(title.slice(0, 30))} safely`, () => {
      assert.equal(safeTitle(title), safe);
      const name = downloadName(title, at, 'ses_x.r1.mp4', 'UTC');
      assert.equal(name, `${safe} - 2026-12-03 13.05.mp4`);
      assert.equal(asciiFallback(name), `${ascii} - 2026-12-03 13.05.mp4`);
      const header = contentDisposition('attachment', name);
      assert.ok(header.startsWith(`attachment; filename="${ascii} - 2026-12-03 13.05.mp4"`), header);
      // No header injection, whatever the title: one line of printable ASCII.
      assert.match(header, /^[\x20-\x7e]+$/);
      if (ascii !== safe) {
        const encoded = /filename\*=UTF-8''(.+)$/.exec(header)?.[1] ?? '';
        assert.match(encoded, /^[A-Za-z0-9!#$&+\-.^_`|~%]+$/, 'RFC 5987 attr-chars and escapes only');
        assert.equal(decodeURIComponent(encoded), name);
      } else assert.doesNotMatch(header, /filename\*/);
    });
  }
  it('dates the name in the launch timezone, UTC for an unknown one', () => {
    assert.equal(fileDate(at, 'America/Mexico_City'), '2026-12-03 07.05');
    assert.equal(fileDate(at, 'Asia/Tokyo'), '2026-12-03 22.05');
    assert.equal(fileDate(at, 'Not/AZone'), '2026-12-03 13.05');
    assert.equal(downloadName('X', at, 'noext', 'UTC'), 'X - 2026-12-03 13.05');
    assert.equal(contentDisposition('inline', 'plain.mp4'), 'inline; filename="plain.mp4"');
  });
});

describe('recordings: signed links', () => {
  const key = linkKeyOf(undefined, 'e'.repeat(32));
  let clock = new Date('2026-12-03T10:00:00Z');
  const links = createRecordingLinks({ key, ttlSeconds: 300, publicUrl: 'https://live.example', now: () => clock });
  const grant = { recordingId: 'ses_a.r1', viewer: 'p-1', basis: 'course' as const, download: true, fileName: 'X.mp4' };
  const tokenOf = (url: string) => new URL(url).searchParams.get('token') as string;

  it('carries the recording, the viewer and why, and lasts its lifetime', async () => {
    clock = new Date('2026-12-03T10:00:00Z');
    const link = await links.mint(grant);
    assert.ok(link.url.startsWith('https://live.example/recordings/ses_a.r1?token='));
    assert.equal(link.expiresAt.toISOString(), '2026-12-03T10:05:00.000Z');
    const ok = await links.verify(tokenOf(link.url));
    assert.deepEqual(ok, { ok: true, grant, expiresAt: link.expiresAt });
    clock = new Date('2026-12-03T10:04:59Z');
    assert.equal((await links.verify(tokenOf(link.url))).ok, true);
    clock = new Date('2026-12-03T10:05:00Z');
    assert.deepEqual(await links.verify(tokenOf(link.url)), { ok: false, reason: 'expired' });
  });

  it('refuses links signed with another key, tampered ones and junk as invalid', async () => {
    clock = new Date();
    const other = createRecordingLinks({ key: linkKeyOf('x'.repeat(32), ''), ttlSeconds: 300, publicUrl: 'https://x' });
    const foreign = tokenOf((await other.mint(grant)).url);
    const own = tokenOf((await links.mint(grant)).url);
    const [h, p, s] = own.split('.') as [string, string, string];
    const changed = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), b: 'teacher' }),
    );
    for (const token of [foreign, `${h}.${changed.toString('base64url')}.${s}`, 'junk', '', 'a.b.c', 'x'.repeat(5000)])
      assert.deepEqual(await links.verify(token), { ok: false, reason: 'invalid' }, token.slice(0, 40));
    // An expired link signed with another key is a forgery first.
    clock = new Date(Date.now() + 3600_000);
    assert.deepEqual(await links.verify(foreign), { ok: false, reason: 'invalid' });
  });

  it('keeps the derived key apart from the secret it comes from, and uses a configured one as given', () => {
    assert.equal(key.length, 32);
    assert.notDeepEqual(Buffer.from(key), Buffer.from('e'.repeat(32)));
    assert.deepEqual(Buffer.from(linkKeyOf('k'.repeat(32), 'e'.repeat(32))), Buffer.from('k'.repeat(32)));
  });
});

describe('recordings: the folder', () => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'recordings-unit-'));

  it('is created when missing and finds only plain names inside it', async () => {
    const dir = path.join(base, 'made', 'here');
    const files = openRecordingsFolder(dir);
    assert.ok(existsSync(dir));
    writeFileSync(path.join(dir, 'ses_a.r1.mp4'), 'abc');
    writeFileSync(path.join(base, 'outside.mp4'), 'secret');
    symlinkSync(path.join(base, 'outside.mp4'), path.join(dir, 'link.mp4'));
    assert.equal((await files.find('ses_a.r1.mp4'))?.sizeBytes, 3);
    for (const name of ['../outside.mp4', 'link.mp4', '.hidden', 'a/b.mp4', '', 'missing.mp4', '..'])
      assert.equal(await files.find(name), undefined, name);
    assert.equal(await files.remove('ses_a.r1.mp4'), true);
    assert.equal(await files.remove('ses_a.r1.mp4'), false, 'already gone');
    assert.equal(await files.remove('../outside.mp4'), false);
    assert.ok(existsSync(path.join(base, 'outside.mp4')));
  });

  it('refuses a file, or a folder the tool cannot write, naming the setting', () => {
    writeFileSync(path.join(base, 'a-file'), '');
    assert.throws(() => openRecordingsFolder(path.join(base, 'a-file')), /recordings\.dir \(RECORDINGS_DIR\)/);
    if (process.getuid?.() !== 0) {
      const locked = path.join(base, 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0o500);
      assert.throws(() => openRecordingsFolder(locked), /read and write/);
    }
  });

  it('names plain files and their types', () => {
    assert.deepEqual(['a.mp4', 'ses_x-1.r2.mp4', '.a', 'a/b', 'a..b', 'é.mp4'].map(isPlainFileName), [
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    assert.equal(mediaTypeOf('x.mp4', false), 'video/mp4');
    assert.equal(mediaTypeOf('x.MP4', true), 'audio/mp4');
    assert.equal(mediaTypeOf('x.ogg', false), 'audio/ogg');
    assert.equal(mediaTypeOf('x.bin', false), 'application/octet-stream');
  });

  it('takes recordings.dir from the config, relative to the project folder, and its secret from the environment only', () => {
    const config = loadConfig({ env: { ...SECRETS, NODE_ENV: 'test', RECORDINGS_DIR: 'some/where' } });
    assert.equal(config.recordings.dir, path.join(projectRoot(), 'some/where'));
    assert.equal(config.recordings.linkSecret, undefined);
    const absolute = loadConfig({
      env: { ...SECRETS, NODE_ENV: 'test', RECORDINGS_DIR: '/srv/rec', RECORDING_LINK_SECRET: 'r'.repeat(32) },
    });
    assert.equal(absolute.recordings.dir, '/srv/rec');
    assert.equal(absolute.recordings.linkSecret, 'r'.repeat(32));
    assert.throws(() => loadConfig({ env: { ...SECRETS, RECORDING_LINK_SECRET: 'short' } }), /recordings\.linkSecret/);
    assert.throws(
      () => loadConfig({ env: { ...SECRETS, RECORDING_LINK_TTL_SECONDS: '7200' } }),
      /recordings\.linkTtlSeconds/,
    );
  });
});
