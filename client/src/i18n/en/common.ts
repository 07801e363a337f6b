/** Shared words (roles, generic failures). */
export const common = {
  'role.instructor': 'Teacher',
  'role.participant': 'Student',
  'role.observer': 'Observer',
  'common.unreachable': 'The tool could not be reached. Try again.',
  'common.appName': 'Live class',
  /** Every tab title: the page, then the tool. */
  'common.documentTitle': '{page} — Live class',
  'common.somethingWrong': 'Something went wrong.',
  'common.tryAgain': 'Try again',
  'common.network': 'The tool could not be reached. Check your connection and try again.',
  'common.badResponse': 'The tool sent an unreadable answer.',
};
