import assert from 'node:assert/strict';
import type { Role, NormalizedRole, RoleMappingOptions } from '../../src/lti/roles.js';
import { mapLtiRoles, normalizeRole } from '../../src/lti/roles.js';

const CTX = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';
const SUB = 'http://purl.imsglobal.org/vocab/lis/v2/membership/';
const INST = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#';
const SYS = 'http://purl.imsglobal.org/vocab/lis/v2/system/person#';
const TEST_USER = 'http://purl.imsglobal.org/vocab/lti/system/person#TestUser';
const ADMINS_LEAD: RoleMappingOptions = { systemAdminIsInstructor: true };

interface Row {
  description: string;
  roles: readonly string[] | undefined;
  options?: RoleMappingOptions;
  expected: Role;
}

const rows: Row[] = [
  // Context principal roles
  { description: 'context Instructor', roles: [`${CTX}Instructor`], expected: 'instructor' },
  { description: 'context Learner', roles: [`${CTX}Learner`], expected: 'participant' },
  { description: 'context Mentor alone', roles: [`${CTX}Mentor`], expected: 'observer' },
  { description: 'context ContentDeveloper', roles: [`${CTX}ContentDeveloper`], expected: 'instructor' },
  { description: 'context Administrator', roles: [`${CTX}Administrator`], expected: 'instructor' },
  { description: 'context Manager', roles: [`${CTX}Manager`], expected: 'instructor' },
  { description: 'context Member', roles: [`${CTX}Member`], expected: 'participant' },
  { description: 'context Officer', roles: [`${CTX}Officer`], expected: 'participant' },
  // Context sub-roles map as their principal role
  {
    description: 'Canvas TA: Instructor + Instructor#TeachingAssistant',
    roles: [`${CTX}Instructor`, `${SUB}Instructor#TeachingAssistant`],
    expected: 'instructor',
  },
  {
    description: 'TeachingAssistant sub-role alone',
    roles: [`${SUB}Instructor#TeachingAssistant`],
    expected: 'instructor',
  },
  ...[
    'TeachingAssistantSection',
    'TeachingAssistantSectionAssociation',
    'TeachingAssistantOffering',
    'TeachingAssistantTemplate',
    'TeachingAssistantGroup',
    'Grader',
    'Lecturer',
    'PrimaryInstructor',
    'SecondaryInstructor',
    'ExternalInstructor',
    'GuestInstructor',
  ].map((sub): Row => ({
    description: `Instructor#${sub}`,
    roles: [`${SUB}Instructor#${sub}`],
    expected: 'instructor',
  })),
  ...['GuestLearner', 'ExternalLearner', 'Learner', 'NonCreditLearner', 'Instructor'].map((sub): Row => ({
    description: `Learner#${sub}`,
    roles: [`${SUB}Learner#${sub}`],
    expected: 'participant',
  })),
  ...['Advisor', 'Auditor', 'LearningFacilitator', 'Reviewer', 'Tutor', 'ExternalMentor'].map((sub): Row => ({
    description: `Mentor#${sub}`,
    roles: [`${SUB}Mentor#${sub}`],
    expected: 'observer',
  })),
  { description: 'ContentDeveloper#Librarian', roles: [`${SUB}ContentDeveloper#Librarian`], expected: 'instructor' },
  { description: 'Manager#CourseCoordinator', roles: [`${SUB}Manager#CourseCoordinator`], expected: 'instructor' },
  { description: 'Member#Member', roles: [`${SUB}Member#Member`], expected: 'participant' },
  // Combinations within the context tier: the highest role wins
  { description: 'Instructor + Mentor', roles: [`${CTX}Mentor`, `${CTX}Instructor`], expected: 'instructor' },
  { description: 'Learner + Mentor', roles: [`${CTX}Mentor`, `${CTX}Learner`], expected: 'participant' },
  { description: 'Instructor + Learner', roles: [`${CTX}Learner`, `${CTX}Instructor`], expected: 'instructor' },
  // Context roles win over institution and system roles
  {
    description: 'Canvas student: Learner + institution Student',
    roles: [`${CTX}Learner`, `${INST}Student`, `${SYS}User`],
    expected: 'participant',
  },
  {
    description: 'Canvas teacher: Instructor + institution Instructor',
    roles: [`${CTX}Instructor`, `${INST}Instructor`, `${SYS}User`],
    expected: 'instructor',
  },
  {
    description: 'Canvas observer: Mentor + institution Student',
    roles: [`${CTX}Mentor`, `${INST}Student`],
    expected: 'observer',
  },
  {
    description: 'learner who is faculty elsewhere stays a participant',
    roles: [`${CTX}Learner`, `${INST}Faculty`],
    expected: 'participant',
  },
  {
    description: 'Moodle site admin enrolled as student, admins lead: context wins',
    roles: [`${CTX}Learner`, `${INST}Administrator`, `${SYS}Administrator`],
    options: ADMINS_LEAD,
    expected: 'participant',
  },
  {
    description: 'Moodle site admin as teacher',
    roles: [`${INST}Administrator`, `${CTX}Instructor`, `${SYS}Administrator`],
    expected: 'instructor',
  },
  // Institution and system roles, when no context role is present
  { description: 'institution Instructor', roles: [`${INST}Instructor`], expected: 'instructor' },
  { description: 'institution Faculty', roles: [`${INST}Faculty`], expected: 'instructor' },
  { description: 'institution Student', roles: [`${INST}Student`], expected: 'participant' },
  { description: 'institution Learner', roles: [`${INST}Learner`], expected: 'participant' },
  { description: 'institution Mentor', roles: [`${INST}Mentor`], expected: 'observer' },
  { description: 'institution Observer', roles: [`${INST}Observer`], expected: 'observer' },
  {
    description: 'institution Observer + Guest (Guest is neutral)',
    roles: [`${INST}Guest`, `${INST}Observer`],
    expected: 'observer',
  },
  ...['Staff', 'Guest', 'Alumni', 'ProspectiveStudent', 'Other', 'None', 'Member'].map((name): Row => ({
    description: `institution ${name}`,
    roles: [`${INST}${name}`],
    expected: 'participant',
  })),
  ...['User', 'None', 'Creator', 'SysSupport'].map((name): Row => ({
    description: `system ${name}`,
    roles: [`${SYS}${name}`],
    expected: 'participant',
  })),
  // Administrators lead only when the platform says so
  {
    description: 'Moodle site admin, not enrolled, default options',
    roles: [`${INST}Administrator`, `${SYS}Administrator`],
    expected: 'participant',
  },
  {
    description: 'Moodle site admin, not enrolled, systemAdminIsInstructor',
    roles: [`${INST}Administrator`, `${SYS}Administrator`],
    options: ADMINS_LEAD,
    expected: 'instructor',
  },
  { description: 'system SysAdmin, default options', roles: [`${SYS}SysAdmin`], expected: 'participant' },
  {
    description: 'system SysAdmin, systemAdminIsInstructor',
    roles: [`${SYS}SysAdmin`],
    options: ADMINS_LEAD,
    expected: 'instructor',
  },
  {
    description: 'system AccountAdmin, systemAdminIsInstructor',
    roles: [`${SYS}AccountAdmin`],
    options: ADMINS_LEAD,
    expected: 'instructor',
  },
  {
    description: 'systemAdminIsInstructor: false is the default',
    roles: [`${SYS}Administrator`],
    options: { systemAdminIsInstructor: false },
    expected: 'participant',
  },
  {
    description: 'deprecated lis/v2/person#Administrator, systemAdminIsInstructor',
    roles: ['http://purl.imsglobal.org/vocab/lis/v2/person#Administrator'],
    options: ADMINS_LEAD,
    expected: 'instructor',
  },
  // TestUser (student preview)
  {
    description: 'Canvas Student View: Learner + TestUser',
    roles: [`${CTX}Learner`, TEST_USER],
    expected: 'participant',
  },
  { description: 'TestUser alone', roles: [TEST_USER], expected: 'participant' },
  {
    description: 'TestUser with Instructor is still a participant',
    roles: [`${CTX}Instructor`, TEST_USER],
    expected: 'participant',
  },
  {
    description: 'TestUser under lis/v2/system',
    roles: [`${CTX}Instructor`, `${SYS}TestUser`],
    expected: 'participant',
  },
  { description: 'TestUser with Mentor stays an observer', roles: [`${CTX}Mentor`, TEST_USER], expected: 'observer' },
  // Empty, missing, unknown
  { description: 'empty roles', roles: [], expected: 'participant' },
  { description: 'missing roles claim', roles: undefined, expected: 'participant' },
  { description: 'unknown roles only', roles: ['urn:example:role:Wizard', 'Teacher'], expected: 'participant' },
  { description: 'unknown role next to Mentor', roles: ['Teacher', `${CTX}Mentor`], expected: 'observer' },
  { description: 'unknown name under the membership vocabulary', roles: [`${CTX}Wizard`], expected: 'participant' },
  {
    description: 'names that exist on Object.prototype',
    roles: ['constructor', `${CTX}toString`],
    expected: 'participant',
  },
  {
    description: 'non-string entries are skipped',
    roles: [42, null, `${CTX}Mentor`] as unknown as string[],
    expected: 'observer',
  },
  // LTI 1.1 short forms and URNs
  { description: 'short Instructor', roles: ['Instructor'], expected: 'instructor' },
  { description: 'short Learner', roles: ['Learner'], expected: 'participant' },
  { description: 'short TeachingAssistant', roles: ['TeachingAssistant'], expected: 'instructor' },
  { description: 'short ContentDeveloper', roles: ['ContentDeveloper'], expected: 'instructor' },
  { description: 'short Mentor', roles: ['Mentor'], expected: 'observer' },
  { description: 'short Administrator is a context role', roles: ['Administrator'], expected: 'instructor' },
  { description: 'urn Instructor', roles: ['urn:lti:role:ims/lis/Instructor'], expected: 'instructor' },
  { description: 'urn Learner', roles: ['urn:lti:role:ims/lis/Learner'], expected: 'participant' },
  {
    description: 'urn TeachingAssistant/Grader',
    roles: ['urn:lti:role:ims/lis/TeachingAssistant/Grader'],
    expected: 'instructor',
  },
  {
    description: 'urn Learner/NonCreditLearner',
    roles: ['urn:lti:role:ims/lis/Learner/NonCreditLearner'],
    expected: 'participant',
  },
  {
    description: 'urn instrole Administrator, default',
    roles: ['urn:lti:instrole:ims/lis/Administrator'],
    expected: 'participant',
  },
  {
    description: 'urn sysrole SysAdmin, systemAdminIsInstructor',
    roles: ['urn:lti:sysrole:ims/lis/SysAdmin'],
    options: ADMINS_LEAD,
    expected: 'instructor',
  },
  { description: 'urn instrole Faculty', roles: ['urn:lti:instrole:ims/lis/Faculty'], expected: 'instructor' },
  {
    description: 'LTI 1.1 comma-separated list',
    roles: ['Learner,urn:lti:role:ims/lis/Instructor'],
    expected: 'instructor',
  },
  {
    description: 'case and whitespace are tolerated',
    roles: ['  HTTPS://purl.imsglobal.org/vocab/lis/v2/membership#instructor '],
    expected: 'instructor',
  },
  // Per-platform overrides
  {
    description: 'override demotes context Manager',
    roles: [`${CTX}Manager`],
    options: { overrides: { [`${CTX}Manager`]: 'participant' } },
    expected: 'participant',
  },
  {
    description: 'override on short form matches the full URI',
    roles: [`${CTX}ContentDeveloper`],
    options: { overrides: { ContentDeveloper: 'observer' } },
    expected: 'observer',
  },
  {
    description: 'override on a sub-role does not touch its principal',
    roles: [`${CTX}Instructor`, `${SUB}Instructor#TeachingAssistant`],
    options: { overrides: { [`${SUB}Instructor#TeachingAssistant`]: 'participant' } },
    expected: 'instructor',
  },
  {
    description: 'override on a sub-role alone',
    roles: [`${SUB}Instructor#TeachingAssistant`],
    options: { overrides: { [`${SUB}Instructor#TeachingAssistant`]: 'participant' } },
    expected: 'participant',
  },
  {
    description: 'override for an unknown custom role counts as a context role',
    roles: ['urn:example:role:Host', `${CTX}Learner`],
    options: { overrides: { 'urn:example:role:Host': 'instructor' } },
    expected: 'instructor',
  },
  {
    description: 'institution override stays below context roles',
    roles: [`${CTX}Learner`, `${INST}Staff`],
    options: { overrides: { [`${INST}Staff`]: 'instructor' } },
    expected: 'participant',
  },
  {
    description: 'institution override without context roles',
    roles: [`${INST}Staff`],
    options: { overrides: { [`${INST}Staff`]: 'instructor' } },
    expected: 'instructor',
  },
  {
    description: 'override beats systemAdminIsInstructor',
    roles: [`${SYS}Administrator`],
    options: { systemAdminIsInstructor: true, overrides: { [`${SYS}Administrator`]: 'observer' } },
    expected: 'observer',
  },
  {
    description: 'exact override spelling wins over an equivalent one',
    roles: ['Instructor'],
    options: { overrides: { [`${CTX}Instructor`]: 'observer', Instructor: 'participant' } },
    expected: 'participant',
  },
  {
    description: 'override cannot lift a TestUser to instructor',
    roles: [`${CTX}Learner`, TEST_USER],
    options: { overrides: { [`${CTX}Learner`]: 'instructor' } },
    expected: 'participant',
  },
];

describe('mapLtiRoles', () => {
  for (const { description, roles, options, expected } of rows) {
    it(`${description} -> ${expected}`, () => {
      assert.equal(mapLtiRoles(roles, options), expected);
    });
  }

  it('has a table of at least 40 cases', () => {
    assert.ok(rows.length >= 40, String(rows.length));
  });
});

describe('normalizeRole', () => {
  const cases: [string, NormalizedRole][] = [
    [`${CTX}Instructor`, { kind: 'context', name: 'Instructor' }],
    [`${SUB}Instructor#TeachingAssistant`, { kind: 'context', name: 'Instructor', subRole: 'TeachingAssistant' }],
    [
      'urn:lti:role:ims/lis/TeachingAssistant/Grader',
      { kind: 'context', name: 'TeachingAssistant', subRole: 'Grader' },
    ],
    ['learner', { kind: 'context', name: 'Learner' }],
    [`${INST}Student`, { kind: 'institution', name: 'Student' }],
    ['urn:lti:instrole:ims/lis/Administrator', { kind: 'institution', name: 'Administrator' }],
    [`${SYS}SysAdmin`, { kind: 'system', name: 'SysAdmin' }],
    [TEST_USER, { kind: 'system', name: 'TestUser' }],
    ['urn:lti:sysrole:ims/lis/SysAdmin', { kind: 'system', name: 'SysAdmin' }],
    ['http://purl.imsglobal.org/vocab/lis/v2/person#SysAdmin', { kind: 'system', name: 'SysAdmin' }],
    ['http://purl.imsglobal.org/vocab/lis/v2/person#Administrator', { kind: 'institution', name: 'Administrator' }],
    ['Teacher', { kind: 'unknown', name: 'Teacher' }],
  ];
  for (const [role, expected] of cases) {
    it(role, () => {
      assert.deepEqual(normalizeRole(role), expected);
    });
  }
});
