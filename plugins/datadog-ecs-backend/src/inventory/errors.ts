import { InventoryError } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { classifyAwsError } from '../aws/errors';

/** Turns anything thrown by an AWS call into an {@link InventoryError} the API can serve. */
export function errorAsData(error: unknown, at: Date): InventoryError {
  const { kind, code, message } = classifyAwsError(error);
  return { kind, name: code, message, at: at.toISOString() };
}
