import { describeImages, Ec2Context } from './describeImages';
import { ec2Errors } from './errors';
import { QueryParams, XmlValue } from './query';

export type { Ec2Context } from './describeImages';

type Ec2Action = (
  ctx: Ec2Context,
  params: QueryParams,
) => Record<string, XmlValue>;

/** Supported EC2 Query actions by `Action`. */
export const ec2Actions: Record<string, Ec2Action> = {
  DescribeImages: describeImages,
};

/** Runs an EC2 action; an unknown one answers InvalidAction as EC2 does. */
export function invokeEc2(
  action: string,
  params: QueryParams,
  ctx: Ec2Context,
): Record<string, XmlValue> {
  const handler = ec2Actions[action];
  if (!handler) throw ec2Errors.invalidAction(action);
  return handler(ctx, params);
}
