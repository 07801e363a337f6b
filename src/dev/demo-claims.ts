import {
  AGS_CLAIM,
  ALL_SCOPES,
  DL,
  LTI,
  NRPS_CLAIM,
  SCOPES,
  deepLinkReturnUrl,
  lineItemsUrl,
  membershipsUrl,
  type DemoContext,
} from './demo-context.js';
import {
  DEFAULT_DEMO_LOCALE,
  DEMO_COURSE,
  ROLE_CLAIMS,
  userFor,
  type DemoLocale,
  type DemoRole,
} from './demo-roster.js';
import { FIRST_ACTIVITY } from './demo-state.js';

export type DemoMessageType = 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';

export interface IdTokenInput {
  role: DemoRole;
  messageType?: DemoMessageType;
  nonce: string;
  resourceLinkId?: string;
  userId?: string;
  /** The user's language, as an LMS sends it in both `locale` and `launch_presentation.locale`. */
  locale?: DemoLocale;
  /** false: leave out the NRPS claim (an LMS that does not offer the course roster). */
  nrps?: boolean;
}

const ID_TOKEN_TTL_SECONDS = 300;

/** Substitutes the variables the demo knows; like Moodle, any other `$Variable` is sent as literal text. */
function substitute(custom: Record<string, string>, vars: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(custom).map(([k, v]) => [k, vars[v] ?? v]));
}

/** A complete, valid LTI 1.3 id_token payload (before signing) for one demo user and message. */
export function buildIdTokenClaims(ctx: DemoContext, input: IdTokenInput): Record<string, unknown> {
  const messageType = input.messageType ?? 'LtiResourceLinkRequest';
  const user = userFor(input.userId, input.role);
  const now = Math.floor(Date.now() / 1000);
  const deepLinking = messageType === 'LtiDeepLinkingRequest';
  const locale = input.locale ?? DEFAULT_DEMO_LOCALE;
  const targetLinkUri = deepLinking ? (ctx.tool.deepLinkUrl ?? ctx.tool.launchUrl) : ctx.tool.launchUrl;

  const claims: Record<string, unknown> = {
    iss: ctx.issuer,
    aud: ctx.clientId,
    azp: ctx.clientId,
    sub: user.userId,
    exp: now + ID_TOKEN_TTL_SECONDS,
    iat: now,
    nonce: input.nonce,
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    email: user.email,
    locale,
    [`${LTI}/message_type`]: messageType,
    [`${LTI}/version`]: '1.3.0',
    [`${LTI}/deployment_id`]: ctx.deploymentId,
    [`${LTI}/target_link_uri`]: targetLinkUri,
    [`${LTI}/roles`]: [...ROLE_CLAIMS[input.role]],
    [`${LTI}/context`]: {
      id: DEMO_COURSE.id,
      label: DEMO_COURSE.label,
      title: DEMO_COURSE.title,
      type: [...DEMO_COURSE.type],
    },
    [`${LTI}/tool_platform`]: {
      guid: `${ctx.issuer}#demo`,
      name: 'Demo University LMS',
      product_family_code: 'lti-live-class-demo',
      version: '1.0',
      contact_email: 'lms-admin@demo.example.edu',
      url: `${ctx.publicUrl}/demo`,
    },
    [`${LTI}/launch_presentation`]: { document_target: 'iframe', locale, return_url: `${ctx.publicUrl}/demo` },
    [AGS_CLAIM]: {
      scope: ALL_SCOPES.filter((s) => s !== SCOPES.memberships),
      lineitems: lineItemsUrl(ctx, DEMO_COURSE.id),
    },
    [NRPS_CLAIM]: { context_memberships_url: membershipsUrl(ctx, DEMO_COURSE.id), service_versions: ['2.0'] },
  };

  if (input.nrps === false) delete claims[NRPS_CLAIM];

  if (deepLinking) {
    claims[`${DL}/deep_linking_settings`] = {
      deep_link_return_url: deepLinkReturnUrl(ctx),
      accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['iframe', 'window'],
      accept_multiple: false,
      auto_create: true,
      title: 'Live class',
      data: ctx.state.issueDeepLinkData(),
    };
    claims[`${LTI}/custom`] = {};
  } else {
    const linkId = input.resourceLinkId ?? FIRST_ACTIVITY.resourceLinkId;
    const activity = ctx.state.activity(linkId);
    claims[`${LTI}/resource_link`] = { id: linkId, title: activity?.title ?? linkId };
    // A link the tool created by deep linking launches at the URL the tool gave it, as Moodle and Canvas do.
    if (activity?.url) claims[`${LTI}/target_link_uri`] = activity.url;
    const vars: Record<string, string> = {
      '$ResourceLink.id': linkId,
      '$Context.id': DEMO_COURSE.id,
      '$User.id': user.userId,
      '$Person.name.full': user.name,
    };
    // Moodle's precedence: the tool-level parameters override the link's own of the same name.
    claims[`${LTI}/custom`] = substitute({ ...activity?.custom, ...ctx.state.toolCustom }, vars);
    // The line item bound to this link, if the tool (or deep linking) created one.
    const bound = ctx.state.listLineItems().find((item) => item.resourceLinkId === linkId);
    if (bound)
      (claims[AGS_CLAIM] as Record<string, unknown>).lineitem = `${lineItemsUrl(ctx, DEMO_COURSE.id)}/${bound.id}`;
  }
  return claims;
}
