/**
 * Maps the LTI 1.3 roles claim (https://purl.imsglobal.org/spec/lti/claim/roles) to our app role.
 * Pure: no I/O. Vocabularies: LTI 1.3 core, appendix A.2. Decisions: docs/roles.md.
 */

import type { Role } from '../rooms/grants.js';

/** The role word of a launch is the room's: one `Role` everywhere (src/rooms/grants.ts). */
export type { Role };

export type RoleKind = 'context' | 'institution' | 'system' | 'unknown';

export interface NormalizedRole {
  kind: RoleKind;
  /** Principal role name, in the spec's spelling when known (`Instructor`), else as sent. */
  name: string;
  /** Context sub-role as sent (`TeachingAssistant` in `membership/Instructor#TeachingAssistant`). */
  subRole?: string;
}

export interface RoleMappingOptions {
  /** Institution/system Administrator, SysAdmin and AccountAdmin lead rooms (only when no context role is sent). */
  systemAdminIsInstructor?: boolean;
  /**
   * Per-platform mapping of single role strings, checked before the built-in tables. Keys are full role URIs or
   * short forms; spellings of the same role match each other (`Instructor` matches `...membership#Instructor`).
   */
  overrides?: Readonly<Record<string, Role>>;
}

const RANK: Readonly<Record<Role, number>> = { observer: 1, participant: 2, instructor: 3 };

/** Context roles by principal name; a sub-role maps as its principal (`Instructor#TeachingAssistant` -> Instructor). */
const CONTEXT_ROLES: Readonly<Record<string, Role>> = {
  Administrator: 'instructor',
  ContentDeveloper: 'instructor',
  Instructor: 'instructor',
  Manager: 'instructor',
  TeachingAssistant: 'instructor', // LTI 1.1 principal role; LTI 1.3 sends it as a sub-role of Instructor
  Learner: 'participant',
  Member: 'participant',
  Officer: 'participant',
  Mentor: 'observer', // Canvas observers, parents: never leaders on their own
};

/** `admin` leads only with `systemAdminIsInstructor`; `null` is a role that says nothing about the room. */
type PlatformSignal = Role | 'admin' | null;

const INSTITUTION_ROLES: Readonly<Record<string, PlatformSignal>> = {
  Faculty: 'instructor',
  Instructor: 'instructor',
  Learner: 'participant',
  Student: 'participant',
  Mentor: 'observer',
  Observer: 'observer',
  Administrator: 'admin',
  Alumni: null,
  Guest: null,
  Member: null,
  None: null,
  Other: null,
  ProspectiveStudent: null,
  Staff: null,
};

const SYSTEM_ROLES: Readonly<Record<string, PlatformSignal>> = {
  AccountAdmin: 'admin',
  Administrator: 'admin',
  SysAdmin: 'admin',
  Creator: null,
  None: null,
  SysSupport: null,
  TestUser: null, // a marker, handled in mapLtiRoles
  User: null,
};

const PURL = String.raw`^https?://purl\.imsglobal\.org/vocab/`;
const CONTEXT_URI = new RegExp(`${PURL}lis/v2/membership(?:/([^#/]+))?#(.+)$`, 'i');
const INSTITUTION_URI = new RegExp(`${PURL}lis/v2/institution/person#(.+)$`, 'i');
const SYSTEM_URI = new RegExp(`${PURL}(?:lis/v2|lti)/system/person#(.+)$`, 'i');
const DEPRECATED_PERSON_URI = new RegExp(`${PURL}lis/v2/person#(.+)$`, 'i'); // institution or system, by name
const CONTEXT_URN = /^urn:lti:role:ims\/lis\/([^/]+)(?:\/(.+))?$/i;
const INSTITUTION_URN = /^urn:lti:instrole:ims\/lis\/(.+)$/i;
const SYSTEM_URN = /^urn:lti:sysrole:ims\/lis\/(.+)$/i;

/** Spec spelling of a known name (case-insensitive), else the name as sent. */
function canonical(table: Readonly<Record<string, unknown>>, name: string): string {
  const lower = name.toLowerCase();
  return Object.keys(table).find((key) => key.toLowerCase() === lower) ?? name;
}

function isKnown(table: Readonly<Record<string, unknown>>, name: string): boolean {
  return Object.hasOwn(table, canonical(table, name));
}

function contextRole(name: string, subRole: string | undefined): NormalizedRole {
  const role: NormalizedRole = { kind: 'context', name: canonical(CONTEXT_ROLES, name) };
  if (subRole !== undefined) role.subRole = subRole;
  return role;
}

/** Classifies one role string. Simple names are context roles (deprecated by LTI 1.3, still sent by some LMSs). */
export function normalizeRole(role: string): NormalizedRole {
  const text = role.trim();
  let match: RegExpExecArray | null;
  if ((match = CONTEXT_URI.exec(text))) {
    return match[1] === undefined ? contextRole(match[2] ?? '', undefined) : contextRole(match[1], match[2]);
  }
  if ((match = CONTEXT_URN.exec(text))) return contextRole(match[1] ?? '', match[2]);
  if ((match = INSTITUTION_URI.exec(text) ?? INSTITUTION_URN.exec(text))) {
    return { kind: 'institution', name: canonical(INSTITUTION_ROLES, match[1] ?? '') };
  }
  if ((match = SYSTEM_URI.exec(text) ?? SYSTEM_URN.exec(text))) {
    return { kind: 'system', name: canonical(SYSTEM_ROLES, match[1] ?? '') };
  }
  if ((match = DEPRECATED_PERSON_URI.exec(text))) {
    const name = match[1] ?? '';
    const system = isKnown(SYSTEM_ROLES, name) && !isKnown(INSTITUTION_ROLES, name);
    return system
      ? { kind: 'system', name: canonical(SYSTEM_ROLES, name) }
      : { kind: 'institution', name: canonical(INSTITUTION_ROLES, name) };
  }
  if (isKnown(CONTEXT_ROLES, text)) return contextRole(text, undefined);
  return { kind: 'unknown', name: text };
}

/** One key for every spelling of a role, used to match override keys. */
function roleKey(role: NormalizedRole): string {
  const key = role.kind === 'unknown' ? role.name : `${role.kind}:${role.name}#${role.subRole ?? ''}`;
  return key.toLowerCase();
}

interface CompiledOverrides {
  exact: ReadonlyMap<string, Role>;
  byKey: ReadonlyMap<string, Role>;
}

/** An exact spelling wins over an equivalent one; among equivalent spellings the first key wins. */
function compileOverrides(overrides: Readonly<Record<string, Role>> | undefined): CompiledOverrides {
  const exact = new Map<string, Role>();
  const byKey = new Map<string, Role>();
  for (const [role, appRole] of Object.entries(overrides ?? {})) {
    exact.set(role.trim(), appRole);
    const key = roleKey(normalizeRole(role));
    if (!byKey.has(key)) byKey.set(key, appRole);
  }
  return { exact, byKey };
}

function platformRole(role: NormalizedRole, options: RoleMappingOptions): Role | undefined {
  const table = role.kind === 'system' ? SYSTEM_ROLES : INSTITUTION_ROLES;
  const signal = Object.hasOwn(table, role.name) ? table[role.name] : null;
  if (signal === 'admin') return options.systemAdminIsInstructor === true ? 'instructor' : 'participant';
  return signal ?? undefined;
}

function higher(current: Role | undefined, next: Role | undefined): Role | undefined {
  if (next === undefined) return current;
  return current === undefined || RANK[next] > RANK[current] ? next : current;
}

interface Signal {
  tier: 'context' | 'platform';
  appRole: Role | undefined;
}

/** An override keeps its role's tier; an overridden unknown role counts as a context role. */
function classify(role: NormalizedRole, override: Role | undefined, options: RoleMappingOptions): Signal {
  const tier = role.kind === 'institution' || role.kind === 'system' ? 'platform' : 'context';
  if (override !== undefined) return { tier, appRole: override };
  if (role.kind === 'context') {
    return { tier, appRole: Object.hasOwn(CONTEXT_ROLES, role.name) ? CONTEXT_ROLES[role.name] : undefined };
  }
  return { tier, appRole: tier === 'platform' ? platformRole(role, options) : undefined };
}

/** Role strings from the claim; tolerates non-string entries and LTI 1.1-style comma-separated lists. */
function roleStrings(roles: readonly string[] | undefined): string[] {
  const list: readonly unknown[] = Array.isArray(roles) ? roles : [];
  return list
    .filter((entry): entry is string => typeof entry === 'string')
    .flatMap((entry) => entry.split(','))
    .map((text) => text.trim())
    .filter((text) => text !== '');
}

/**
 * The app role for a roles claim. Context roles decide when any is recognised; otherwise institution and system
 * roles decide; otherwise `participant`. Within a tier the highest role wins (instructor > participant > observer).
 * A TestUser (student preview) is never an instructor.
 */
export function mapLtiRoles(roles: readonly string[] | undefined, options: RoleMappingOptions = {}): Role {
  const overrides = compileOverrides(options.overrides);
  let context: Role | undefined;
  let platform: Role | undefined;
  let testUser = false;
  for (const text of roleStrings(roles)) {
    const role = normalizeRole(text);
    if (role.kind === 'system' && role.name === 'TestUser') testUser = true;
    const override = overrides.exact.get(text) ?? overrides.byKey.get(roleKey(role));
    const { tier, appRole } = classify(role, override, options);
    if (tier === 'context') context = higher(context, appRole);
    else platform = higher(platform, appRole);
  }
  const result = context ?? platform ?? 'participant';
  return testUser && result === 'instructor' ? 'participant' : result;
}
