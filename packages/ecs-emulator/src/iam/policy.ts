/**
 * IAM identity-based policy documents: validation and evaluation.
 *
 * Evaluation follows the IAM policy evaluation logic for a single
 * identity-based policy (no SCPs, boundaries, session or resource policies):
 * an explicit Deny that applies wins; otherwise an Allow that applies is
 * needed; otherwise the request is implicitly denied.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html
 *
 * Matching follows the policy grammar: actions are case-insensitive and may
 * use `*` and `?`; resources are ARNs (case-sensitive) that may use `*` and
 * `?`; `NotAction` / `NotResource` invert the match.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */

/** @public */
export type PolicyEffect = 'Allow' | 'Deny';

/**
 * `{ "<Operator>": { "<context key>": "value" | ["v1", "v2"] } }`
 *
 * @public
 */
export type PolicyCondition = Record<string, Record<string, string | string[]>>;

/** @public */
export interface PolicyStatement {
  Sid?: string;
  Effect: PolicyEffect;
  Action?: string | string[];
  NotAction?: string | string[];
  /** Default `*` (IAM requires it; the emulator is lenient). */
  Resource?: string | string[];
  NotResource?: string | string[];
  /** String and ARN operators only; see `CONDITION_OPERATORS`. */
  Condition?: PolicyCondition;
}

/**
 * An IAM identity-based policy document.
 *
 * @public
 */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

/**
 * What was asked: one action on one resource (`*` when the resource is not known).
 *
 * @public
 */
export interface AuthorizationRequest {
  action: string;
  resource: string;
  /** Request context keys (e.g. `ecs:CreateAction`, `iam:PassedToService`). */
  context?: Record<string, string>;
}

/** @public */
export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/**
 * A policy document IAM would refuse (IAM answers `MalformedPolicyDocument`).
 *
 * @public
 */
export class PolicyValidationError extends Error {
  readonly code = 'MalformedPolicyDocument';
  constructor(message: string) {
    super(message);
    this.name = 'MalformedPolicyDocument';
  }
}

const VERSIONS = ['2012-10-17', '2008-10-17'];
const DOC_KEYS = ['Version', 'Id', 'Statement'];
const STATEMENT_KEYS = [
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
];

const BASE_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'ArnEquals',
  'ArnNotEquals',
  'ArnLike',
  'ArnNotLike',
];
/** Supported condition operators (each also with the `IfExists` suffix). */
export const CONDITION_OPERATORS = [
  ...BASE_OPERATORS,
  ...BASE_OPERATORS.map(o => `${o}IfExists`),
];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringOrList(
  v: unknown,
  what: string,
  where: string,
): string[] | undefined {
  if (v === undefined) return undefined;
  const list = typeof v === 'string' ? [v] : v;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    list.some(x => typeof x !== 'string' || x === '')
  ) {
    throw new PolicyValidationError(
      `${where}: ${what} must be a non-empty string or a non-empty list of strings.`,
    );
  }
  return list as string[];
}

const ACTION_RE = /^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+$/;

/**
 * Checks a policy document and returns a deep copy of it, as written.
 * Throws `PolicyValidationError` when IAM would refuse it.
 *
 * @public
 */
export function validatePolicyDocument(doc: unknown): PolicyDocument {
  if (!isPlainObject(doc)) {
    throw new PolicyValidationError(
      'Syntax errors in policy: the policy document must be a JSON object.',
    );
  }
  for (const k of Object.keys(doc)) {
    if (!DOC_KEYS.includes(k)) {
      throw new PolicyValidationError(
        `Syntax errors in policy: unknown element ${k}.`,
      );
    }
  }
  if (doc.Version !== undefined && !VERSIONS.includes(doc.Version as string)) {
    throw new PolicyValidationError(
      `The policy failed legacy parsing: Version must be one of ${VERSIONS.join(
        ', ',
      )}.`,
    );
  }
  if (doc.Id !== undefined && typeof doc.Id !== 'string') {
    throw new PolicyValidationError(
      'Syntax errors in policy: Id must be a string.',
    );
  }
  if (doc.Statement === undefined) {
    throw new PolicyValidationError(
      'Syntax errors in policy: missing required element Statement.',
    );
  }
  const statements = Array.isArray(doc.Statement)
    ? doc.Statement.map((s, i) => validateStatement(s, i))
    : validateStatement(doc.Statement, 0);
  const out: PolicyDocument = { Statement: statements };
  if (doc.Version !== undefined) out.Version = doc.Version as string;
  if (doc.Id !== undefined) out.Id = doc.Id as string;
  return out;
}

function validateStatement(s: unknown, index: number): PolicyStatement {
  const where = `Statement[${index}]`;
  if (!isPlainObject(s)) {
    throw new PolicyValidationError(
      `Syntax errors in policy: ${where} must be an object.`,
    );
  }
  for (const k of Object.keys(s)) {
    if (k === 'Principal' || k === 'NotPrincipal') {
      throw new PolicyValidationError(
        `Policy document should not specify a principal (${where}).`,
      );
    }
    if (!STATEMENT_KEYS.includes(k)) {
      throw new PolicyValidationError(
        `Syntax errors in policy: unknown element ${k} in ${where}.`,
      );
    }
  }
  const out: Partial<PolicyStatement> = {};
  if (s.Sid !== undefined) {
    if (typeof s.Sid !== 'string' || !/^[A-Za-z0-9]*$/.test(s.Sid)) {
      throw new PolicyValidationError(
        `Statement IDs (SID) must be alpha-numeric (${where}).`,
      );
    }
    out.Sid = s.Sid;
  }
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') {
    throw new PolicyValidationError(
      `${where}: Effect must be "Allow" or "Deny".`,
    );
  }
  out.Effect = s.Effect;

  if ((s.Action === undefined) === (s.NotAction === undefined)) {
    throw new PolicyValidationError(
      `Policy statement must contain exactly one of Action or NotAction (${where}).`,
    );
  }
  const actionKey = s.Action !== undefined ? 'Action' : 'NotAction';
  const actions = stringOrList(s[actionKey], actionKey, where)!;
  for (const a of actions) {
    if (a !== '*' && !ACTION_RE.test(a)) {
      throw new PolicyValidationError(
        `Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc. (${where}: "${a}")`,
      );
    }
  }
  out[actionKey] = structuredClone(s[actionKey]) as string | string[];

  if (s.Resource !== undefined && s.NotResource !== undefined) {
    throw new PolicyValidationError(
      `${where}: Resource and NotResource cannot both be given.`,
    );
  }
  if (s.Resource !== undefined || s.NotResource !== undefined) {
    const resourceKey = s.Resource !== undefined ? 'Resource' : 'NotResource';
    const resources = stringOrList(s[resourceKey], resourceKey, where)!;
    for (const r of resources) {
      if (r !== '*' && !r.startsWith('arn:')) {
        throw new PolicyValidationError(
          `Resource ${r} must be in ARN format or "*" (${where}).`,
        );
      }
    }
    out[resourceKey] = structuredClone(s[resourceKey]) as string | string[];
  }

  if (s.Condition !== undefined) {
    if (!isPlainObject(s.Condition)) {
      throw new PolicyValidationError(`${where}: Condition must be an object.`);
    }
    const cond: PolicyCondition = {};
    for (const [op, block] of Object.entries(s.Condition)) {
      if (!CONDITION_OPERATORS.includes(op)) {
        throw new PolicyValidationError(
          `${where}: condition operator ${op} is not supported by the emulator (supported: String*, Arn* operators, optionally with IfExists).`,
        );
      }
      if (!isPlainObject(block) || Object.keys(block).length === 0) {
        throw new PolicyValidationError(
          `${where}: Condition ${op} must map context keys to values.`,
        );
      }
      for (const [key, values] of Object.entries(block)) {
        stringOrList(values, `Condition ${op} ${key}`, where);
      }
      cond[op] = structuredClone(block) as Record<string, string | string[]>;
    }
    out.Condition = cond;
  }
  return out as PolicyStatement;
}

function globToRegExp(glob: string, flags = ''): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, flags);
}

/** `ecs:Describe*` matches `ecs:DescribeServices`; case-insensitive; `*` and `?`. */
export function actionMatches(pattern: string, action: string): boolean {
  return globToRegExp(pattern, 'i').test(action);
}

/** ARN patterns with `*` and `?`; case-sensitive. An unknown resource is `*`. */
export function resourceMatches(pattern: string, resource: string): boolean {
  return globToRegExp(pattern).test(resource);
}

function asList(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'string' ? [v] : v;
}

function conditionHolds(
  cond: PolicyCondition | undefined,
  context: Record<string, string>,
): boolean {
  if (!cond) return true;
  // context keys are case-insensitive
  const ctx = new Map(
    Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]),
  );
  for (const [rawOp, block] of Object.entries(cond)) {
    const ifExists = rawOp.endsWith('IfExists');
    const op = ifExists ? rawOp.slice(0, -'IfExists'.length) : rawOp;
    const negated = op.includes('Not');
    for (const [key, rawValues] of Object.entries(block)) {
      const values = asList(rawValues)!;
      const actual = ctx.get(key.toLowerCase());
      if (actual === undefined) {
        // A missing key matches nothing; negated operators are then satisfied.
        if (ifExists || negated) continue;
        return false;
      }
      const test = (v: string) => {
        switch (op.replace('Not', '')) {
          case 'StringEquals':
          case 'ArnEquals':
            return actual === v;
          case 'StringEqualsIgnoreCase':
            return actual.toLowerCase() === v.toLowerCase();
          case 'StringLike':
          case 'ArnLike':
            return globToRegExp(v).test(actual);
          default:
            return false;
        }
      };
      const any = values.some(test);
      if (negated ? any : !any) return false;
    }
  }
  return true;
}

function statementApplies(
  s: PolicyStatement,
  req: AuthorizationRequest,
): boolean {
  const actions = asList(s.Action);
  const notActions = asList(s.NotAction);
  const actionOk = actions
    ? actions.some(p => actionMatches(p, req.action))
    : !notActions!.some(p => actionMatches(p, req.action));
  if (!actionOk) return false;
  const resources = asList(s.Resource);
  const notResources = asList(s.NotResource);
  let resourceOk = true;
  if (resources)
    resourceOk = resources.some(p => resourceMatches(p, req.resource));
  else if (notResources)
    resourceOk = !notResources.some(p => resourceMatches(p, req.resource));
  if (!resourceOk) return false;
  return conditionHolds(s.Condition, req.context ?? {});
}

/**
 * Evaluates one request against one identity-based policy.
 *
 * @public
 */
export function evaluatePolicy(
  policy: PolicyDocument,
  req: AuthorizationRequest,
): Decision {
  const statements = Array.isArray(policy.Statement)
    ? policy.Statement
    : [policy.Statement];
  let allowed = false;
  for (const s of statements) {
    if (!statementApplies(s, req)) continue;
    if (s.Effect === 'Deny') return 'ExplicitDeny';
    allowed = true;
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}

/**
 * The AccessDeniedException message, in the format IAM-integrated services use:
 * "User: <principal> is not authorized to perform: <action> on resource:
 * <resource> because no identity-based policy allows the <action> action", and
 * "… with an explicit deny in an identity-based policy". Services whose action
 * has no resource type may leave out "on resource: …" (`namesResource: false`),
 * as EC2 does for DescribeImages.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 */
export function accessDeniedMessage(
  principalArn: string,
  req: AuthorizationRequest,
  decision: Exclude<Decision, 'Allow'>,
  options: { namesResource?: boolean } = {},
): string {
  const on =
    options.namesResource === false ? '' : ` on resource: ${req.resource}`;
  const head = `User: ${principalArn} is not authorized to perform: ${req.action}${on}`;
  return decision === 'ExplicitDeny'
    ? `${head} with an explicit deny in an identity-based policy`
    : `${head} because no identity-based policy allows the ${req.action} action`;
}
