import assert from 'node:assert/strict';

/**
 * Client modules are loaded at run time by path: their bundler-style imports (no file extensions) do not
 * typecheck under the server's NodeNext settings, so the server typecheck must not follow them. The local
 * types below name only what these tests call.
 */
const load = (path: string): Promise<unknown> => import(new URL(`../../client/src/${path}`, import.meta.url).href);

type Vars = Record<string, string | number>;
type Catalog = Record<string, string>;
interface ApiErrorLike {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

const { en } = (await load('i18n/en/index.ts')) as { en: Catalog };
const { es } = (await load('i18n/es/index.ts')) as { es: Catalog };
const { currentLanguage, currentLocale, languageOf, setLocale, t, tp } = (await load('i18n/index.ts')) as {
  currentLanguage(): string;
  currentLocale(): string;
  languageOf(locale: string | undefined): string;
  setLocale(locale: string | undefined): Promise<void>;
  t(key: string, vars?: Vars): string;
  tp(key: string, count: number, vars?: Vars): string;
};
const { describeProblem } = (await load('media/media-errors.ts')) as {
  describeProblem(problem: string, kind: string): string;
};
const { toRequest, INITIAL_FORM } = (await load('pages/activity-form.ts')) as {
  INITIAL_FORM: object;
  toRequest(form: object, timeZone: string): { ok: true } | { ok: false; errors: Record<string, string> };
};
const { describeRefusal } = (await load('pages/join-refusal.ts')) as {
  describeRefusal(
    error: ApiErrorLike,
    timeZone: string,
    locale: string | undefined,
  ): { message: string; retry: string; serverFault: boolean };
};
const { pickLocale } = (await load('time.ts')) as { pickLocale(locale: string | undefined): string | undefined };

const placeholders = (message: string): string[] => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('client message catalogs', () => {
  afterEach(() => setLocale('en'));

  describe('the Spanish catalog', () => {
    it('has every English key and no other', () => {
      assert.deepEqual(Object.keys(es).sort(), Object.keys(en).sort());
    });

    // All catalogs: common, pages, room and chat (merged by en/index.ts and es/index.ts).
    for (const [key, english] of Object.entries(en)) {
      it(`${key}: same placeholders, and translated`, () => {
        const spanish = es[key];
        assert.equal(typeof spanish, 'string');
        assert.notEqual(spanish?.trim(), '', 'empty translation');
        assert.deepEqual(placeholders(spanish ?? ''), placeholders(english));
      });
    }

    it('comes as .one/.other pairs wherever English does', () => {
      for (const key of Object.keys(en).filter((k) => k.endsWith('.one'))) {
        assert.ok(`${key.slice(0, -4)}.other` in es, `${key} has no .other`);
      }
    });
  });

  describe('languageOf', () => {
    const cases: Array<[string | undefined, string]> = [
      ['es-MX', 'es'],
      ['es', 'es'],
      ['ES_es', 'es'],
      ['en-US', 'en'],
      ['fr-FR', 'en'],
      ['', 'en'],
      [undefined, 'en'],
      ['not a tag', 'en'],
    ];
    for (const [tag, expected] of cases) {
      it(`${String(tag)} -> ${expected}`, () => assert.equal(languageOf(tag), expected));
    }
  });

  it('reads the launch locale as a BCP 47 tag the runtime knows (the launcher falls back otherwise)', () => {
    assert.equal(pickLocale('es-MX'), 'es-MX');
    assert.equal(pickLocale('en_US'), 'en-US');
    assert.equal(pickLocale('not a tag'), undefined);
    assert.equal(pickLocale(undefined), undefined);
  });

  describe('t and tp', () => {
    it('fills placeholders, and leaves unknown ones as they are', () => {
      assert.equal(t('deepLink.notSaved', { reason: 'Title taken' }), 'The activity was not saved. Title taken');
      assert.equal(t('form.range', { min: 5, max: 1440 }), 'Enter a number from 5 to 1440.');
      assert.equal(t('form.range', { min: 5 }), 'Enter a number from 5 to {max}.');
      assert.equal(t('prejoin.joiningAs'), 'You are joining as {role}.');
    });

    it('picks the English plural form', () => {
      assert.equal(tp('deepLink.invalid', 1), 'The activity was not saved: 1 field needs attention.');
      assert.equal(tp('deepLink.invalid', 2), 'The activity was not saved: 2 fields need attention.');
      assert.equal(tp('deepLink.invalid', 0), 'The activity was not saved: 0 fields need attention.');
    });

    it('switches to Spanish for es-MX, with that tag for Intl formatting', async () => {
      await setLocale('es-MX');
      assert.equal(currentLanguage(), 'es');
      assert.equal(currentLocale(), 'es-MX');
      assert.equal(t('prejoin.join'), 'Unirme a la clase');
      assert.equal(tp('deepLink.invalid', 1), 'No se guardó la actividad: 1 campo necesita atención.');
      assert.equal(tp('deepLink.invalid', 3), 'No se guardó la actividad: 3 campos necesitan atención.');
    });

    it('falls back to English for a language without a catalog', async () => {
      await setLocale('es');
      await setLocale('de-DE');
      assert.equal(currentLanguage(), 'en');
      assert.equal(t('prejoin.join'), 'Join the class');
    });
  });

  describe('DOM-free modules speak the current language', () => {
    it('media problems', async () => {
      assert.equal(describeProblem('blocked', 'both'), 'Your browser blocked the camera and microphone.');
      await setLocale('es');
      assert.equal(describeProblem('blocked', 'both'), 'Tu navegador bloqueó la cámara y el micrófono.');
    });

    it('form checks', async () => {
      await setLocale('es');
      const checked = toRequest(INITIAL_FORM, 'UTC');
      assert.equal(checked.ok, false);
      assert.deepEqual(!checked.ok && checked.errors, { title: 'Escribe un título.' });
    });

    it('join refusals, with the opening time in the given locale', async () => {
      const error = (code: string, details?: Record<string, unknown>): ApiErrorLike => ({
        status: 409,
        code,
        message: 'server',
        details,
      });
      const opensAt = { opensAt: '2030-05-01T12:00:00.000Z' };
      // The date's exact punctuation is the ICU version's: check the words around it and its parts.
      assert.match(
        describeRefusal(error('ROOM_NOT_OPEN', opensAt), 'Europe/Paris', 'en-US').message,
        /^This class is not open yet\. You can join from Wednesday, May 1\b.*2:00\sPM .*\.$/,
      );
      assert.equal(describeRefusal(error('SOMETHING_NEW'), 'UTC', 'en').message, 'server');
      await setLocale('es-ES');
      assert.match(
        describeRefusal(error('ROOM_NOT_OPEN', opensAt), 'Europe/Paris', currentLocale()).message,
        /^Esta clase todavía no está abierta\. Puedes unirte a partir del miércoles, 1 de mayo\b.*14:00 .*\.$/,
      );
      assert.deepEqual(describeRefusal(error('ROOM_WAITING_DENIED'), 'UTC', 'es'), {
        message: 'Tu docente rechazó tu solicitud para unirte a esta clase.',
        retry: 'none',
        serverFault: false,
      });
    });
  });
});
