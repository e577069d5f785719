/** An error answered in EC2's XML error format (HTTP 400 unless said otherwise). */
export class Ec2Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}

// Codes and wording as EC2 answers them (Error codes for the Amazon EC2 API:
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
export const ec2Errors = {
  /** EC2 lists the ids it could not find: `The image id '[ami-…]' does not exist`. */
  amiNotFound: (ids: string[]) =>
    new Ec2Error(
      'InvalidAMIID.NotFound',
      ids.length === 1
        ? `The image id '[${ids[0]}]' does not exist`
        : `The image ids '[${ids.join(', ')}]' do not exist`,
    ),
  amiMalformed: (id: string) =>
    new Ec2Error(
      'InvalidAMIID.Malformed',
      `Invalid id: "${id}" (expecting "ami-...")`,
    ),
  userIdMalformed: (id: string) =>
    new Ec2Error('InvalidUserID.Malformed', `Invalid user id: "${id}"`),
  invalidFilter: (name: string) =>
    new Ec2Error('InvalidParameterValue', `The filter '${name}' is invalid`),
  invalidParameterValue: (message: string) =>
    new Ec2Error('InvalidParameterValue', message),
  invalidParameterCombination: (message: string) =>
    new Ec2Error('InvalidParameterCombination', message),
  invalidPaginationToken: (token: string) =>
    new Ec2Error(
      'InvalidPaginationToken',
      `Invalid pagination token: ${token}`,
    ),
  invalidAction: (action: string) =>
    new Ec2Error(
      'InvalidAction',
      `The action ${action} is not valid for this web service.`,
    ),
  dryRun: () =>
    new Ec2Error(
      'DryRunOperation',
      'Request would have succeeded, but DryRun flag is set.',
      412,
    ),
};
