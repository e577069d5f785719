import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { ECSServiceException } from '@aws-sdk/client-ecs';
import { classifyAwsError } from './errors';

const awsError = (name: string, fault: 'client' | 'server' = 'client') =>
  new ECSServiceException({
    name,
    $fault: fault,
    $metadata: {},
    message: `${name} happened`,
  });

describe('classifyAwsError', () => {
  it('classifies what AWS answered: kind, code, message, whether to retry', () => {
    expect(classifyAwsError(awsError('AccessDeniedException'))).toEqual({
      kind: 'access-denied',
      code: 'AccessDeniedException',
      message: 'AccessDeniedException happened',
      retryable: false,
      fromAws: true,
    });
    expect(classifyAwsError(awsError('ThrottlingException'))).toMatchObject({
      kind: 'throttled',
      retryable: true,
      fromAws: true,
    });
    expect(
      classifyAwsError(awsError('ServerException', 'server')),
    ).toMatchObject({
      kind: 'unknown',
      retryable: true,
      fromAws: true,
    });
    // An exception by its name alone (a gateway that is not the SDK).
    expect(
      classifyAwsError(
        Object.assign(new Error('no'), { name: 'InvalidParameterException' }),
      ),
    ).toMatchObject({ kind: 'unknown', retryable: false, fromAws: true });
  });

  it("knows EC2's (Query API) codes: UnauthorizedOperation, RequestLimitExceeded, AuthFailure", () => {
    const ec2Error = (name: string) =>
      new EC2ServiceException({
        name,
        $fault: 'client',
        $metadata: {},
        message: `${name} happened`,
      });
    expect(classifyAwsError(ec2Error('UnauthorizedOperation'))).toEqual({
      kind: 'access-denied',
      code: 'UnauthorizedOperation',
      message: 'UnauthorizedOperation happened',
      retryable: false,
      fromAws: true,
    });
    expect(classifyAwsError(ec2Error('RequestLimitExceeded'))).toMatchObject({
      kind: 'throttled',
      retryable: true,
      fromAws: true,
    });
    expect(classifyAwsError(ec2Error('AuthFailure'))).toMatchObject({
      kind: 'credentials',
      retryable: false,
      fromAws: true,
    });
    expect(classifyAwsError(ec2Error('InvalidAMIID.Malformed'))).toMatchObject({
      kind: 'unknown',
      retryable: false,
      fromAws: true,
    });
  });

  it('tells failures around the call from AWS answers', () => {
    const refused = Object.assign(
      new Error('connect ECONNREFUSED 127.0.0.1:4510'),
      {
        code: 'ECONNREFUSED',
      },
    );
    expect(classifyAwsError(refused)).toMatchObject({
      kind: 'network',
      retryable: true,
      fromAws: false,
    });
    expect(classifyAwsError(new Error('Lost the lease'))).toMatchObject({
      kind: 'unknown',
      code: 'Error',
      retryable: false,
      fromAws: false,
    });
    expect(classifyAwsError('boom')).toEqual({
      kind: 'unknown',
      code: undefined,
      message: 'boom',
      retryable: false,
      fromAws: false,
    });
  });
});
