import type { chat as en } from '../en/chat';

export const chat: Record<keyof typeof en, string> = {
  'chat.heading': 'Chat',
  'chat.log.label': 'Mensajes del chat',
  'chat.empty': 'Todavía no hay mensajes.',
  'chat.you': '(tú)',
  'chat.composer.label': 'Mensaje',
  'chat.composer.hint': 'Intro envía; Mayús+Intro añade una línea nueva.',
  'chat.composer.send': 'Enviar',
  'chat.composer.left.one': 'Te queda {count} carácter',
  'chat.composer.left.other': 'Te quedan {count} caracteres',
  'chat.composer.over.one': 'Tu mensaje tiene {count} carácter de más.',
  'chat.composer.over.other': 'Tu mensaje tiene {count} caracteres de más.',
  'chat.error.failed': 'No se pudo enviar tu mensaje.',
  'chat.error.throttled.one': 'Estás enviando mensajes demasiado rápido. Vuelve a intentarlo en {count} segundo.',
  'chat.error.throttled.other': 'Estás enviando mensajes demasiado rápido. Vuelve a intentarlo en {count} segundos.',
  'chat.off.student': 'Tu docente desactivó el chat.',
  'chat.off.forStudents': 'El chat está desactivado para los estudiantes.',
  'chat.observer': 'Los observadores pueden leer el chat, pero no escribir.',
  'chat.unavailable': 'Ahora mismo no puedes enviar mensajes.',
};
