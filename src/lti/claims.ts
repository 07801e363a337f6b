/** LTI 1.3 claim names (IMS LTI Core 1.3, Deep Linking 2.0, AGS 2.0, NRPS 2.0). */
const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
export const CLAIM = {
  messageType: `${LTI}message_type`,
  version: `${LTI}version`,
  deploymentId: `${LTI}deployment_id`,
  targetLinkUri: `${LTI}target_link_uri`,
  roles: `${LTI}roles`,
  context: `${LTI}context`,
  resourceLink: `${LTI}resource_link`,
  launchPresentation: `${LTI}launch_presentation`,
  custom: `${LTI}custom`,
  toolPlatform: `${LTI}tool_platform`,
  deepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  agsEndpoint: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
} as const;

export const SUPPORTED_MESSAGE_TYPES = ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] as const;
/** The LTI messages the tool answers: one word for launch sessions, the registration and the launcher. */
export type MessageType = (typeof SUPPORTED_MESSAGE_TYPES)[number];
