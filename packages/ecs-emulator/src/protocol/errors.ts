/** An error answered in the AWS JSON 1.1 wire format. */
export class EcsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export const errors = {
  clusterNotFound: () =>
    new EcsError('ClusterNotFoundException', 'Cluster not found.'),
  serviceNotFound: () =>
    new EcsError('ServiceNotFoundException', 'Service not found.'),
  invalidParameter: (message: string) =>
    new EcsError('InvalidParameterException', message),
  client: (message: string) => new EcsError('ClientException', message),
};
