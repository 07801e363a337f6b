/**
 * The codes of a launch, a login, a deep linking answer or a registration that went wrong: what the LMS sent
 * and what its admin can change. Part of the one registry in errors.ts (and of docs/errors.md).
 */
export const LTI_ERROR_CODES = {
  LTI_LOGIN_INVALID: {
    status: 400,
    message: 'The LMS started the launch without the required login parameters (iss, login_hint, target_link_uri).',
  },
  LTI_PLATFORM_UNKNOWN: {
    status: 400,
    message:
      'This LMS is not registered with the live class tool. Ask your LMS admin to register it (issuer and client ID).',
  },
  LTI_PLATFORM_INACTIVE: {
    status: 403,
    message: "This LMS registration is waiting for activation by the live class tool's administrator.",
  },
  LTI_ID_TOKEN_MISSING: { status: 400, message: 'The LMS sent the launch without an id_token.' },
  LTI_ID_TOKEN_MALFORMED: { status: 400, message: 'The launch token (id_token) from the LMS is not a valid JWT.' },
  LTI_STATE_MISSING: { status: 400, message: 'The LMS sent the launch without the state parameter.' },
  LTI_STATE_UNKNOWN: {
    status: 400,
    message: 'This launch was not started by this tool (unknown state). Relaunch the activity from your course.',
  },
  LTI_STATE_EXPIRED: {
    status: 400,
    message: 'The launch took too long to complete. Relaunch the activity from your course.',
  },
  LTI_STATE_REUSED: { status: 400, message: 'This launch was already used. Relaunch the activity from your course.' },
  LTI_STATE_COOKIE_MISSING: {
    status: 400,
    message:
      'Your browser blocked the storage this launch needs inside the course page. Open the activity in a new window.',
  },
  LTI_STORAGE_INVALID: {
    status: 400,
    message: 'The launch came back from platform storage with fields that are not what this tool sent.',
  },
  LTI_STORAGE_UNAVAILABLE: {
    status: 400,
    message:
      'Your browser blocked cookies inside the course page and the LMS storage did not answer. Open the activity in a new window.',
  },
  LTI_STORAGE_NOT_OFFERED: {
    status: 400,
    message:
      'This launch did not start with LMS platform storage, so it cannot finish through it. Relaunch the activity from your course.',
  },
  LTI_STORAGE_STATE_MISMATCH: {
    status: 400,
    message: 'The LMS storage holds another launch than this one (state). Relaunch the activity from your course.',
  },
  LTI_STORAGE_NONCE_MISMATCH: {
    status: 400,
    message:
      'The LMS storage holds another nonce than this launch was started with. Relaunch the activity from your course.',
  },
  LTI_JWT_ALG_UNSUPPORTED: { status: 400, message: 'The LMS signed the launch with an algorithm other than RS256.' },
  LTI_JWT_KID_MISSING: { status: 400, message: 'The launch token has no key id (kid) in its header.' },
  LTI_JWT_KID_UNKNOWN: {
    status: 400,
    message:
      'The LMS signed the launch with a key that is not in its published key set. Check the JWKS URL registered for this LMS.',
  },
  LTI_JWT_SIGNATURE_INVALID: {
    status: 400,
    message: "The launch signature does not match the LMS's public key. Check the JWKS URL registered for this LMS.",
  },
  LTI_PLATFORM_JWKS_UNAVAILABLE: { status: 502, message: "The LMS's public key set (JWKS URL) could not be fetched." },
  LTI_ISS_MISMATCH: {
    status: 400,
    message: 'The launch token comes from a different LMS (iss) than the one that started the login.',
  },
  LTI_AUD_MISMATCH: {
    status: 400,
    message: "The launch token is addressed to another tool (aud does not contain this tool's client ID).",
  },
  LTI_AZP_MISMATCH: {
    status: 400,
    message: "The launch token names several audiences but its azp is not this tool's client ID.",
  },
  LTI_TOKEN_EXPIRED: {
    status: 400,
    message: 'The launch token has expired. Check that the clocks of the LMS and the tool are right, then relaunch.',
  },
  LTI_TOKEN_IAT_FUTURE: {
    status: 400,
    message: "The launch token was issued in the future: the LMS's clock is ahead. Ask the LMS admin to sync it.",
  },
  LTI_NONCE_MISMATCH: {
    status: 400,
    message: 'The launch token was not issued for the login this tool started (nonce mismatch).',
  },
  LTI_NONCE_REPLAYED: {
    status: 400,
    message: 'This launch token was already used (replayed nonce). Relaunch the activity from your course.',
  },
  LTI_VERSION_INVALID: { status: 400, message: 'The LMS did not send LTI version 1.3.0.' },
  LTI_MESSAGE_TYPE_MISSING: { status: 400, message: 'The launch token has no LTI message type.' },
  LTI_MESSAGE_TYPE_UNSUPPORTED: {
    status: 400,
    message: 'The LMS sent a message type this tool does not support (only resource link launches and deep linking).',
  },
  LTI_DEPLOYMENT_MISSING: { status: 400, message: 'The launch token has no deployment_id.' },
  LTI_DEPLOYMENT_UNKNOWN: {
    status: 403,
    message:
      "This deployment of the tool is not registered. Ask your LMS admin to send its deployment ID to the tool's administrator.",
  },
  LTI_ROLES_MISSING: { status: 400, message: 'The launch token has no roles claim.' },
  LTI_SUB_MISSING: {
    status: 400,
    message: 'The LMS launched without a user id (sub); anonymous launches are not supported.',
  },
  LTI_RESOURCE_LINK_MISSING: { status: 400, message: 'The resource link launch has no resource_link.id.' },
  LTI_TARGET_LINK_INVALID: {
    status: 400,
    message: 'The launch targets a URL that is not this tool (target_link_uri).',
  },
  LTI_DEEP_LINKING_SETTINGS_MISSING: {
    status: 400,
    message: 'The deep linking request has no deep_linking_settings with a return URL.',
  },
  LTI_DEEP_LINKING_SETTINGS_INVALID: {
    status: 400,
    message:
      'The deep linking request cannot be answered: its accept_types must include ltiResourceLink, and its data (if any) must be a string of at most 8192 characters.',
  },
  LTI_DEEP_LINKING_FORBIDDEN: { status: 403, message: 'Only instructors can add a live class to a course.' },
  LTI_DEEP_LINKING_LIMIT: {
    status: 429,
    message:
      'This "add a live class" window already created as many live classes as one launch may. Close it and start again from your course.',
  },
  LTI_DYNREG_INVALID: {
    status: 400,
    message: 'The dynamic registration request or the LMS configuration it points to is invalid.',
  },
  LTI_DYNREG_FAILED: { status: 502, message: 'The LMS refused or did not answer the dynamic registration.' },
} as const satisfies Record<string, { status: number; message: string }>;
