/**
 * What Amazon EC2 authorizes for a request: the action on the resources it
 * names. DescribeImages (like EC2's other Describe* actions) has no resource
 * type in the Service Authorization Reference for Amazon EC2, so it is
 * evaluated against `*`, and EC2's refusal names no resource ("User: … is not
 * authorized to perform: ec2:DescribeImages because no identity-based policy
 * allows the ec2:DescribeImages action"):
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 */
import { AuthorizationRequest } from './policy';

export function ec2AuthorizationRequests(
  action: string,
  scope: { region: string },
): AuthorizationRequest[] {
  return [
    {
      action: `ec2:${action}`,
      resource: '*',
      context: { 'aws:RequestedRegion': scope.region },
    },
  ];
}
