import type { common as en } from '../en/common';

export const common: Record<keyof typeof en, string> = {
  'role.instructor': 'Docente',
  'role.participant': 'Estudiante',
  'role.observer': 'Observador',
  'common.unreachable': 'No se pudo conectar con la herramienta. Inténtalo de nuevo.',
  'common.appName': 'Clase en vivo',
  'common.documentTitle': '{page} — Clase en vivo',
  'common.somethingWrong': 'Algo salió mal.',
  'common.tryAgain': 'Intentar de nuevo',
  'common.network': 'No se pudo conectar con la herramienta. Revisa tu conexión y vuelve a intentarlo.',
  'common.badResponse': 'La herramienta envió una respuesta ilegible.',
};
