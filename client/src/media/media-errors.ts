import { t } from '../i18n';

/** Why a device could not be used, as the pre-join page explains it. */
export type MediaProblem = 'policy' | 'blocked' | 'not-found' | 'in-use' | 'unsupported' | 'failed';

export type DeviceKind = 'camera' | 'microphone';

interface PolicyDocument {
  featurePolicy?: { allowsFeature(feature: string): boolean };
  permissionsPolicy?: { allowsFeature(feature: string): boolean };
}

/**
 * Whether the page's Permissions Policy lets it use `kind` at all (an LMS iframe without
 * `allow="camera; microphone"`). Unknown (no API) counts as allowed: getUserMedia will tell.
 */
export function policyAllows(kind: DeviceKind, doc: Document = document): boolean {
  const policy = (doc as PolicyDocument).permissionsPolicy ?? (doc as PolicyDocument).featurePolicy;
  try {
    return policy ? policy.allowsFeature(kind) : true;
  } catch {
    return true;
  }
}

/** Maps a getUserMedia rejection to a problem; `kind` decides between "blocked" and "the page forbids it". */
export function classifyMediaError(err: unknown, kind: DeviceKind): MediaProblem {
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  if (!policyAllows(kind)) return 'policy';
  switch (name) {
    case 'SecurityError':
      return 'policy';
    case 'NotAllowedError':
    case 'PermissionDeniedError':
      return 'blocked';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'not-found';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'in-use';
    default:
      return 'failed';
  }
}

/** One plain sentence: what went wrong with the camera, the microphone, or both. */
export function describeProblem(problem: MediaProblem, kind: DeviceKind | 'both'): string {
  // A whole sentence per device and problem: other languages inflect "camera and microphone" differently.
  return t(`media.problem.${problem}.${kind}` as const);
}
