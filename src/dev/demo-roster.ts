/** The demo course and its people: stable ids, names and e-mails so tests and screenshots are repeatable. */

export const DEMO_ROLES = ['instructor', 'student', 'observer', 'ta'] as const;
export type DemoRole = (typeof DEMO_ROLES)[number];

/** The languages a demo user can launch in (LTI `locale` and `launch_presentation.locale`), with their names. */
export const DEMO_LOCALES = { 'en-US': 'English', 'es-ES': 'Español' } as const;
export type DemoLocale = keyof typeof DEMO_LOCALES;
export const DEMO_LOCALE_IDS = Object.keys(DEMO_LOCALES) as [DemoLocale, ...DemoLocale[]];
export const DEFAULT_DEMO_LOCALE: DemoLocale = 'en-US';

export const DEMO_COURSE = {
  id: 'demo-course-physics-101',
  label: 'PHYS101',
  title: 'Physics 101',
  type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'],
} as const;

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership';
const INSTITUTION = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person';

/** LTI roles claim per demo role (context roles first, then institution roles). */
export const ROLE_CLAIMS: Readonly<Record<DemoRole, readonly string[]>> = {
  instructor: [`${MEMBERSHIP}#Instructor`, `${INSTITUTION}#Faculty`],
  student: [`${MEMBERSHIP}#Learner`, `${INSTITUTION}#Student`],
  observer: [`${MEMBERSHIP}#Mentor`],
  ta: [`${MEMBERSHIP}/Instructor#TeachingAssistant`],
};

export interface DemoUser {
  userId: string;
  role: DemoRole;
  givenName: string;
  familyName: string;
  name: string;
  email: string;
}

function user(userId: string, role: DemoRole, givenName: string, familyName: string): DemoUser {
  const email = `${givenName}.${familyName}`.toLowerCase().replace(/[^a-z.]/g, '') + '@demo.example.edu';
  return { userId, role, givenName, familyName, name: `${givenName} ${familyName}`, email };
}

const LEARNER_NAMES: ReadonlyArray<[string, string]> = [
  ['Marie', 'Curie'],
  ['Albert', 'Einstein'],
  ['Isaac', 'Newton'],
  ['Lise', 'Meitner'],
  ['Niels', 'Bohr'],
  ['Emmy', 'Noether'],
  ['Richard', 'Feynman'],
  ['Chien-Shiung', 'Wu'],
  ['Max', 'Planck'],
  ['Rosalind', 'Franklin'],
  ['Enrico', 'Fermi'],
  ['Dorothy', 'Hodgkin'],
  ['Paul', 'Dirac'],
  ['Vera', 'Rubin'],
  ['Erwin', 'Schrodinger'],
  ['Jocelyn', 'Bell'],
  ['Werner', 'Heisenberg'],
  ['Katherine', 'Johnson'],
  ['James', 'Maxwell'],
  ['Cecilia', 'Payne'],
  ['Michael', 'Faraday'],
  ['Donna', 'Strickland'],
];

/** 25 members: 1 instructor, 1 teaching assistant, 1 mentor (observer), 22 learners. */
export const ROSTER: readonly DemoUser[] = [
  user('demo-instructor-1', 'instructor', 'Ada', 'Lovelace'),
  user('demo-ta-1', 'ta', 'Alan', 'Turing'),
  user('demo-mentor-1', 'observer', 'Grace', 'Hopper'),
  ...LEARNER_NAMES.map(([given, family], i) =>
    user(`demo-student-${String(i + 1).padStart(2, '0')}`, 'student', given, family),
  ),
];

/** The user a "Join as <role>" button launches as. */
export function defaultUser(role: DemoRole): DemoUser {
  return ROSTER.find((u) => u.role === role) as DemoUser;
}

/** A roster member, or a made-up user with the given role (tests launch arbitrary ids). */
export function userFor(userId: string | undefined, role: DemoRole): DemoUser {
  if (!userId) return defaultUser(role);
  const known = ROSTER.find((u) => u.userId === userId);
  if (known) return { ...known, role };
  return {
    userId,
    role,
    givenName: 'Demo',
    familyName: userId,
    name: `Demo ${userId}`,
    email: `${userId}@demo.invalid`,
  };
}
