/** Shared words (roles, generic failures). */
export const common = {
  'role.instructor': 'Teacher',
  'role.participant': 'Student',
  'role.observer': 'Observer',
  'common.unreachable': 'The tool could not be reached. Try again.',
};
