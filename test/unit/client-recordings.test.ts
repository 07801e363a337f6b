import assert from 'node:assert/strict';
import { RECORDING_DEFAULTS } from '../../src/rooms/activity-settings.js';

/**
 * The Recordings view's pure parts. recordings-text.ts imports the catalogs with bundler-style paths, so it
 * is loaded at run time by URL (as client-i18n.test.ts does) and typed here by what the tests call.
 */
const load = (path: string): Promise<unknown> => import(new URL(`../../client/src/${path}`, import.meta.url).href);

interface Clock {
  timeZone: string;
  locale: string;
}
interface Me {
  user: { role: string };
  activity?: { settings: { recording?: { viewers?: string } } };
}
const text = (await load('recordings/recordings-text.ts')) as {
  DEFAULT_VIEWERS: string;
  showsRecordings(me: Me): boolean;
  durationText(ms: number, clock: Clock): string;
  sizeText(bytes: number, clock: Clock): string;
  statusText(status: string): string;
  statusMark(status: string): string;
  whoText(viewers: string, teacher: boolean): string;
};
const { setLocale } = (await load('i18n/index.ts')) as { setLocale(locale: string): Promise<void> };
const form = (await load('pages/activity-form.ts')) as {
  INITIAL_FORM: Record<string, unknown>;
  toRequest(
    form: object,
    timeZone: string,
    retentionMax?: number,
  ):
    | { ok: true; request: { recording?: { viewers?: string; retentionDays?: number; streamUrl?: string } } }
    | { ok: false; errors: Record<string, string> };
  pathOf(key: string): string;
};

describe('client recordings view', () => {
  const en: Clock = { timeZone: 'UTC', locale: 'en-US' };
  const es: Clock = { timeZone: 'UTC', locale: 'es-ES' };
  afterEach(() => setLocale('en'));

  it('defaults who may watch as the server does', () => {
    assert.equal(text.DEFAULT_VIEWERS, RECORDING_DEFAULTS.viewers);
  });

  it('gives teachers the tab always, others unless recordings are the teachers’, nobody without a class', () => {
    const me = (role: string, viewers?: string): Me => ({
      user: { role },
      activity: { settings: viewers ? { recording: { viewers } } : {} },
    });
    const cases: Array<[Me, boolean]> = [
      [me('instructor', 'instructors'), true],
      [me('participant', 'instructors'), false],
      [me('observer', 'instructors'), false],
      [me('participant', 'course'), true],
      [me('participant', 'published'), true],
      [me('participant'), true],
      [{ user: { role: 'instructor' } }, false],
    ];
    for (const [who, shown] of cases) assert.equal(text.showsRecordings(who), shown, JSON.stringify(who));
  });

  it('asks in the deep linking form who may watch, the server’s default first', () => {
    assert.equal(form.INITIAL_FORM.recordingViewers, RECORDING_DEFAULTS.viewers);
    assert.equal(form.pathOf('recordingViewers'), 'recording.viewers');
    for (const viewers of ['instructors', 'course', 'published']) {
      const checked = form.toRequest({ ...form.INITIAL_FORM, title: 'A class', recordingViewers: viewers }, 'UTC');
      assert.ok(checked.ok);
      assert.deepEqual(checked.request.recording, { viewers });
    }
  });

  it('asks how long to keep the recordings: empty for the server’s time, a whole number from 1 to its maximum', async () => {
    assert.equal(form.pathOf('recordingRetentionDays'), 'recording.retentionDays');
    const ask = (days: string, max?: number) =>
      form.toRequest({ ...form.INITIAL_FORM, title: 'A class', recordingRetentionDays: days }, 'UTC', max);
    const cases: Array<[string, number | undefined, number | string | undefined]> = [
      ['', 30, undefined],
      ['  ', 30, undefined],
      ['1', 30, 1],
      ['30', 30, 30],
      ['31', 30, 'Enter a number from 1 to 30.'],
      ['0', 30, 'Enter a number from 1 to 30.'],
      ['2.5', 30, 'Enter a whole number.'],
      ['ten', 30, 'Enter a whole number.'],
      ['3650', undefined, 3650],
      ['3651', undefined, 'Enter a number from 1 to 3650.'],
    ];
    for (const [days, max, expected] of cases) {
      const checked = ask(days, max);
      const got = checked.ok ? checked.request.recording?.retentionDays : checked.errors['recording.retentionDays'];
      assert.equal(got, expected, `${JSON.stringify(days)} of at most ${max}`);
    }
    await setLocale('es');
    const es = ask('31', 30);
    assert.ok(!es.ok && /1.*30/.test(es.errors['recording.retentionDays'] ?? ''), JSON.stringify(es));
  });

  it('takes the class’s stream target as an address ending with its key, or none', () => {
    const ask = (url: string) =>
      form.toRequest({ ...form.INITIAL_FORM, title: 'A class', recordingStreamUrl: url }, 'UTC');
    const ok = ask(' rtmps://live.example.com/app/sk_123 ');
    assert.ok(ok.ok && ok.request.recording?.streamUrl === 'rtmps://live.example.com/app/sk_123');
    const none = ask('');
    assert.ok(none.ok && none.request.recording?.streamUrl === undefined);
    for (const bad of ['http://x.test/app/key', 'rtmp://x.test', 'rtmp://x.test/app key']) {
      const checked = ask(bad);
      assert.ok(!checked.ok && checked.errors['recording.streamUrl'], bad);
    }
  });

  it('writes durations and sizes as the locale does', () => {
    assert.equal(text.durationText(45_400, en), '45 sec');
    assert.equal(text.durationText(125_000, en), '2 min 5 sec');
    assert.equal(text.durationText(120_000, en), '2 min');
    assert.equal(text.durationText(3_725_000, en), '1 hr 2 min');
    assert.equal(text.sizeText(400, en), '1 kB');
    assert.equal(text.sizeText(820_000, en), '820 kB');
    assert.equal(text.sizeText(12_345_678, en), '12.3 MB');
    assert.equal(text.sizeText(250_000_000, en), '250 MB');
    assert.equal(text.sizeText(1_234_000_000, en), '1.2 GB');
    assert.equal(text.sizeText(12_345_678, es), '12,3 MB');
  });

  it('names every status with a word and a shape, in English and Spanish', async () => {
    const statuses = ['starting', 'recording', 'ready', 'failed', 'deleted'];
    assert.deepEqual(statuses.map(text.statusText), ['Starting', 'Recording', 'Ready', 'Failed', 'Deleted']);
    assert.equal(new Set(statuses.map(text.statusMark)).size, statuses.length);
    await setLocale('es');
    assert.equal(text.statusText('ready'), 'Lista');
    assert.match(text.whoText('published', false), /publicado/);
  });
});
