import type { Request } from 'express';
import { GUEST_NAME_MAX } from '../integrations/space-joins.js';
import { escapeHtml, htmlPage } from './html.js';

/**
 * The guest's name page of /space/join, in the browser's language (English or Spanish). It is served
 * before the launcher exists, so its few strings live here rather than in the client's catalogues.
 */
const TEXT = {
  en: {
    title: 'Join the live class',
    heading: 'Join the live class',
    intro: 'Type your name: it is what the others in the class will see.',
    name: 'Your name',
    passcode: 'Passcode',
    join: 'Join',
    invalid: 'Type the name the others in the class will see (1 to 64 characters).',
    wrongPasscode: 'The passcode is wrong. Check it and try again.',
  },
  es: {
    title: 'Entrar en la clase en directo',
    heading: 'Entrar en la clase en directo',
    intro: 'Escribe tu nombre: es lo que verán los demás en la clase.',
    name: 'Tu nombre',
    passcode: 'Código de acceso',
    join: 'Entrar',
    invalid: 'Escribe el nombre que verán los demás en la clase (de 1 a 64 caracteres).',
    wrongPasscode: 'El código de acceso no es correcto. Revísalo e inténtalo de nuevo.',
  },
} as const;

export type PageLang = keyof typeof TEXT;

export const pageLang = (req: Request): PageLang => (req.acceptsLanguages('en', 'es') === 'es' ? 'es' : 'en');

export interface NamePageOptions {
  /** The space has a passcode: ask for it on the same form. */
  passcode: boolean;
  error?: 'invalid' | 'wrongPasscode';
  /** What the guest typed, kept when the form comes back with an error. */
  name?: string;
}

export function namePage(token: string, lang: PageLang, o: NamePageOptions): string {
  const t = TEXT[lang];
  const alert = o.error ? `<p role="alert" id="join-error">${escapeHtml(t[o.error])}</p>` : '';
  const described = o.error ? ' aria-describedby="join-error"' : '';
  const passcode = o.passcode
    ? `<p><label for="passcode">${escapeHtml(t.passcode)}</label><br>
<input id="passcode" name="passcode" type="password" minlength="4" maxlength="64" required autocomplete="off"></p>`
    : '';
  return htmlPage(
    t.title,
    `<h1>${escapeHtml(t.heading)}</h1>
${alert}
<form method="post" action="/space/join">
<input type="hidden" name="t" value="${escapeHtml(token)}">
<p>${escapeHtml(t.intro)}</p>
<p><label for="name">${escapeHtml(t.name)}</label><br>
<input id="name" name="name" type="text" maxlength="${GUEST_NAME_MAX}" required autofocus autocomplete="name"${described} value="${escapeHtml(o.name ?? '')}"></p>
${passcode}
<p><button type="submit">${escapeHtml(t.join)}</button></p>
</form>`,
    lang,
  );
}
