import { FIT_MESSAGES, FitResult } from '../model/placement';
import { ContainerInstance, Service, Task } from '../model/types';
import { SchedulerContext } from './common';

/** How many events a service keeps (newest first), as ECS does. */
const MAX_EVENTS = 100;

export function addEvent(
  ctx: SchedulerContext,
  svc: Service,
  message: string,
  at: number,
) {
  svc.events.unshift({
    id: ctx.world.ids.uuid('event'),
    createdAt: at,
    message,
  });
  if (svc.events.length > MAX_EVENTS) {
    svc.events.length = MAX_EVENTS;
  }
}

/** "has started/stopped N tasks: (task …)" events, ten tasks an event. */
export function taskListEvents(
  ctx: SchedulerContext,
  svc: Service,
  verb: string,
  tasks: Task[],
  at: number,
) {
  for (let i = 0; i < tasks.length; i += 10) {
    const chunk = tasks.slice(i, i + 10);
    addEvent(
      ctx,
      svc,
      `(service ${svc.name}) has ${verb} ${chunk.length} ${
        verb === 'stopped' ? 'running tasks' : 'tasks'
      }: ${chunk.map(t => `(task ${t.id})`).join(' ')}.`,
      at,
    );
  }
}

/** The "was unable to place a task" event's message. */
export function placementFailure(
  svc: Service,
  now: number,
  instance: ContainerInstance | undefined,
  result: FitResult | 'none',
) {
  const prefix = `(service ${svc.name}) was unable to place a task because no container instance met all of its requirements.`;
  const suffix =
    'For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';
  if (!instance || result === 'none' || result === 'ok') {
    return `${prefix} Reason: No Container Instances were found in your cluster. ${suffix}`;
  }
  void now;
  return `${prefix} The closest matching (container-instance ${instance.id}) ${FIT_MESSAGES[result]} ${suffix}`;
}
