import { ServerResponse } from 'node:http';
import { Ec2Error } from '../ec2/errors';
import { QueryParams, xmlError, xmlResponse, XmlValue } from '../ec2/query';
import { AwsService } from '../iam/authorize';
import { Json } from '../model/types';
import { EcsError } from './errors';

/**
 * How one of the two protocols the endpoint speaks frames a call: ECS's AWS
 * JSON 1.1 (`X-Amz-Target`) and EC2's Query protocol (`Action=` form
 * parameters, XML answers). The server runs the same steps for both
 * (authentication, faults, IAM, the call) and asks the wire for the words.
 */
export interface Wire {
  service: AwsService;
  /** The operation or action name (counters, faults, IAM). */
  operation: string;
  /** What IAM evaluates (ECS: the JSON input). */
  input?: Json;
  /** [code, message, HTTP status] of the protocol's standard refusals. */
  missingAuthentication: [string, string, number];
  unknownAccessKey: [string, string, number];
  badSignature: [string, string, number];
  throttled: [string, string, number];
  accessDenied: [string, number];
  /** The protocol's words for the fault injector's 500 / 503. */
  injected(status: number): [string, string];
  sendError(
    res: ServerResponse,
    requestId: string,
    code: string,
    message: string,
    status: number,
  ): void;
  /** Answers the call's output; throws an error of the protocol (or any). */
  respond(res: ServerResponse, requestId: string, output: unknown): void;
  /** The protocol error a thrown value is, if any. */
  asProtocolError(
    e: unknown,
  ): { code: string; message: string; status: number } | undefined;
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  requestId: string,
  text: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
    ...extra,
  });
  res.end(text);
}

const JSON_11 = 'application/x-amz-json-1.1';

/** ECS: `{"__type": code, "message": …}` with `x-amzn-ErrorType`. */
export function ecsWire(operation: string, input: Json | undefined): Wire {
  return {
    service: 'ecs',
    operation,
    input,
    missingAuthentication: [
      'MissingAuthenticationTokenException',
      'Missing Authentication Token',
      403,
    ],
    unknownAccessKey: [
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
      403,
    ],
    badSignature: [
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      403,
    ],
    throttled: ['ThrottlingException', 'Rate exceeded', 400],
    // ECS answers AccessDeniedException with HTTP 400 on the wire (e.g.
    // "StatusCode: 400 … AccessDeniedException: User: …" in
    // github.com/keidarcy/e1s/issues/429, "statusCode": 400 in
    // github.com/pulumi/pulumi-hugo/issues/2607), although the Smithy model
    // in @aws-sdk/client-ecs declares httpError 403; the SDK picks the error
    // class from x-amzn-ErrorType / __type either way.
    accessDenied: ['AccessDeniedException', 400],
    injected: status =>
      status === 500
        ? ['ServerException', 'Service encountered an internal error.']
        : [
            'ServiceUnavailableException',
            'Service is unavailable. Please try again later.',
          ],
    sendError(res, requestId, code, message, status) {
      send(
        res,
        status,
        JSON_11,
        requestId,
        JSON.stringify({ __type: code, message }),
        { 'x-amzn-ErrorType': code },
      );
    },
    respond(res, requestId, output) {
      send(res, 200, JSON_11, requestId, JSON.stringify(output));
    },
    asProtocolError: e =>
      e instanceof EcsError
        ? { code: e.code, message: e.message, status: e.statusCode }
        : undefined,
  };
}

const XML = 'text/xml;charset=UTF-8';

/**
 * EC2 Query: XML answers, `<Response><Errors>…` errors; codes from "Error
 * codes for the Amazon EC2 API" (AuthFailure, SignatureDoesNotMatch,
 * UnauthorizedOperation 403, RequestLimitExceeded 503, InternalError,
 * Unavailable).
 */
export function ec2Wire(params: QueryParams): Wire {
  const action = params.get('Action') ?? '';
  return {
    service: 'ec2',
    operation: action,
    missingAuthentication: [
      'MissingAuthenticationToken',
      'The request must contain the parameter AWSAccessKeyId',
      401,
    ],
    unknownAccessKey: [
      'AuthFailure',
      'AWS was not able to validate the provided access credentials',
      401,
    ],
    badSignature: [
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      403,
    ],
    throttled: ['RequestLimitExceeded', 'Request limit exceeded.', 503],
    accessDenied: ['UnauthorizedOperation', 403],
    injected: status =>
      status === 500
        ? [
            'InternalError',
            'An internal error has occurred. Retry your request, but if the problem persists, contact us with details by posting a message on the AWS forums.',
          ]
        : [
            'Unavailable',
            "The server is overloaded and can't handle the request.",
          ],
    sendError(res, requestId, code, message, status) {
      send(res, status, XML, requestId, xmlError(code, message, requestId));
    },
    respond(res, requestId, output) {
      send(
        res,
        200,
        XML,
        requestId,
        xmlResponse(action, requestId, output as Record<string, XmlValue>),
      );
    },
    asProtocolError: e =>
      e instanceof Ec2Error
        ? { code: e.code, message: e.message, status: e.statusCode }
        : undefined,
  };
}
