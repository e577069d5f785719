import { Service, ServiceDeploymentRecord } from '../model/types';
import { rollBack } from './circuitBreaker';

// StopServiceDeployment, as the API reference and the developer guide describe it: a PENDING or
// IN_PROGRESS service deployment "moves to the ROLLBACK_REQUESTED state, and then the rollback
// operation starts" (ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL once the previous revision is
// steady again); one that is STOP_REQUESTED, ROLLBACK_REQUESTED or ROLLBACK_IN_PROGRESS continues;
// the stop type ABORT stops it where it is (STOP_REQUESTED, then STOPPED).
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopServiceDeployment.html
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stop-service-deployment.html

const STOP_REASON =
  'ECS deployment stopped by a StopServiceDeployment request.';

/** Records a stop request; the scheduler acts on it at its next tick ({@link advanceStopRequests}). */
export function requestStop(
  sd: ServiceDeploymentRecord,
  stopType: 'ROLLBACK' | 'ABORT',
  now: number,
) {
  sd.status = stopType === 'ROLLBACK' ? 'ROLLBACK_REQUESTED' : 'STOP_REQUESTED';
  sd.updatedAt = now;
}

/** A requested rollback starts (or fails: nothing to roll back to); a requested stop stops. */
export function advanceStopRequests(svc: Service, now: number) {
  for (const sd of svc.allServiceDeployments) {
    if (sd.status !== 'ROLLBACK_REQUESTED' && sd.status !== 'STOP_REQUESTED')
      continue;
    const d = sd.target;
    d.rolloutState = 'FAILED';
    d.rolloutStateReason = STOP_REASON;
    d.updatedAt = now;
    if (sd.circuitBreakerStatus === 'MONITORING')
      sd.circuitBreakerStatus = 'MONITORING_COMPLETE';
    if (
      sd.status === 'ROLLBACK_REQUESTED' &&
      d.status === 'PRIMARY' &&
      rollBack(svc, d, STOP_REASON, 'stop request', now)
    ) {
      continue;
    }
    d.stalled = true;
    sd.statusReason =
      sd.status === 'ROLLBACK_REQUESTED'
        ? 'There is no previous service revision to roll back to.'
        : STOP_REASON;
    sd.status =
      sd.status === 'ROLLBACK_REQUESTED' ? 'ROLLBACK_FAILED' : 'STOPPED';
    sd.stoppedAt = now;
    sd.finishedAt = now;
    sd.updatedAt = now;
  }
}
