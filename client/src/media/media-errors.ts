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

const SUBJECT: Record<DeviceKind | 'both', string> = {
  camera: 'camera',
  microphone: 'microphone',
  both: 'camera and microphone',
};

/** One plain sentence: what went wrong with the camera, the microphone, or both. */
export function describeProblem(problem: MediaProblem, kind: DeviceKind | 'both'): string {
  const what = SUBJECT[kind];
  switch (problem) {
    case 'policy':
      return `This course page does not let the class use your ${what}.`;
    case 'blocked':
      return `Your browser blocked the ${what}.`;
    case 'not-found':
      return kind === 'both' ? 'No camera or microphone was found.' : `No ${what} was found.`;
    case 'in-use':
      return `Your ${what} is in use by another application, or could not be started.`;
    case 'unsupported':
      return `This browser cannot use a ${what} on this page.`;
    default:
      return `Your ${what} could not be started.`;
  }
}
