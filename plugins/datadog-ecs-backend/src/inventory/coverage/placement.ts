import { CoverageReason } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/** ECS's "unable to place a task" event, read: the instance it names and why. */
export interface PlacementFailure {
  containerInstanceId: string;
  code: CoverageReason['code'];
  message: string;
  evidence: string;
}

const PLACEMENT_FAILURE =
  /unable to place a task because no container instance met all of its requirements\.\s*The closest matching \(?container-instance ([0-9a-z-]+)\)? (?:has|is) ([^.]+)\./i;

/** Reads ECS's "unable to place a task" events into reasons, newest first. */
export function placementFailures(
  events: Array<{ message?: string }>,
): PlacementFailure[] {
  const failures: PlacementFailure[] = [];
  for (const event of events) {
    const match = PLACEMENT_FAILURE.exec(event.message ?? '');
    if (!match) continue;
    const detail = match[2].toLowerCase();
    let code: CoverageReason['code'] = 'placement-failed';
    let message = `ECS could not place the Agent: the instance ${detail}.`;
    if (detail.includes('insufficient memory')) {
      code = 'insufficient-memory';
      message =
        'Not enough free memory on the instance for the Agent task: ECS could not place it.';
    } else if (detail.includes('insufficient cpu')) {
      code = 'insufficient-cpu';
      message =
        'Not enough free CPU units on the instance for the Agent task: ECS could not place it.';
    } else if (detail.includes('port')) {
      code = 'port-in-use';
      message =
        'A port the Agent maps (8125/udp or 8126/tcp) is already used on the instance: ECS could not place it.';
    }
    failures.push({
      containerInstanceId: match[1],
      code,
      message,
      evidence: event.message!,
    });
  }
  return failures;
}
