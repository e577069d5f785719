import { globToRegExp } from '../model/placement';
import { Json, RegionState } from '../model/types';
import { ec2AuthorizationRequests } from './ec2';
import { ecsAuthorizationRequests } from './ecs';
import {
  accessDeniedMessage,
  AuthorizationRequest,
  Decision,
  evaluatePolicy,
  PolicyDocument,
} from './policy';

/**
 * The services the endpoint answers for (the prefix of their IAM actions).
 *
 * @public
 */
export type AwsService = 'ecs' | 'ec2';

/** @public */
export interface Credential {
  accountId: string;
  accessKeyId: string;
  secretAccessKey?: string;
  principal: string;
  /** Legacy scoping, used only when no `policy` is set. */
  allowedActions?: string[];
  deniedActions?: string[];
  /** IAM identity-based policy; when set, it alone decides (see README "IAM policies"). */
  policy?: PolicyDocument;
}

/**
 * Why a request was refused.
 *
 * @public
 */
export interface AccessDenial {
  request: AuthorizationRequest;
  decision: Exclude<Decision, 'Allow'>;
  /** The AccessDeniedException (ECS) or UnauthorizedOperation (EC2) message. */
  message: string;
}

export function principalArn(cred: Credential) {
  return `arn:aws:iam::${cred.accountId}:user/${cred.principal}`;
}

/** `allowedActions` / `deniedActions` (a pattern without `service:` means `ecs:`). */
function legacyDecision(cred: Credential, action: string): Decision {
  const match = (patterns: string[]) =>
    patterns.some(p =>
      globToRegExp(p.includes(':') ? p : `ecs:${p}`).test(action),
    );
  if (cred.deniedActions && match(cred.deniedActions)) return 'ExplicitDeny';
  if (cred.allowedActions && !match(cred.allowedActions)) return 'ImplicitDeny';
  return 'Allow';
}

/**
 * Decides an API call like the service does. With a policy: every request the
 * service makes for the call (ECS: the action on each resource,
 * ecs:TagResource for tag-on-create, iam:PassRole for passed roles; EC2: the
 * action) must be allowed. Without: the legacy allowedActions/deniedActions
 * check of the action alone. Returns the first denial, or undefined when the
 * call is allowed.
 */
export function authorizeCall(
  cred: Credential,
  call: {
    service: AwsService;
    operation: string;
    region: string;
    /** ECS: the JSON input (resources, tags, roles). */
    input?: Json;
    /** ECS: the account/region state, to resolve task definitions. */
    state: RegionState;
  },
): AccessDenial | undefined {
  if (!cred.policy && !cred.allowedActions && !cred.deniedActions) {
    return undefined;
  }
  const { service, operation, region } = call;
  const requests =
    service === 'ec2'
      ? ec2AuthorizationRequests(operation, { region })
      : ecsAuthorizationRequests(operation, call.input ?? {}, {
          accountId: cred.accountId,
          region,
          state: call.state,
        });
  const principal = principalArn(cred);
  const deny = (
    request: AuthorizationRequest,
    decision: Exclude<Decision, 'Allow'>,
  ): AccessDenial => ({
    request,
    decision,
    // EC2 prefixes IAM's text and names no resource for actions without one
    // (e.g. "You are not authorized to perform this operation. User: … is not
    // authorized to perform: ec2:DescribeImages because no identity-based
    // policy allows the ec2:DescribeImages action").
    message:
      service === 'ec2'
        ? `You are not authorized to perform this operation. ${accessDeniedMessage(
            principal,
            request,
            decision,
            { namesResource: request.resource !== '*' },
          )}`
        : accessDeniedMessage(principal, request, decision),
  });
  if (!cred.policy) {
    const decision = legacyDecision(cred, `${service}:${operation}`);
    return decision === 'Allow' ? undefined : deny(requests[0], decision);
  }
  for (const request of requests) {
    const decision = evaluatePolicy(cred.policy, request);
    if (decision !== 'Allow') return deny(request, decision);
  }
  return undefined;
}
