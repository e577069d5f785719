import { AgentEvent } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { Service } from '../../aws/EcsGateway';
import { iso } from './ecs';

/** The guide's keywords for Agent service events worth surfacing. */
export const EVENT_KEYWORDS = [
  'drain',
  'error',
  'fail',
  'insufficient memory',
  'pending',
  'reboot',
  'terminate',
];

/** The Agent services' events matching {@link EVENT_KEYWORDS}, newest first, at most 50. */
export function agentEvents(services: Service[]): AgentEvent[] {
  const events: AgentEvent[] = [];
  for (const service of services) {
    for (const event of service.events ?? []) {
      const message = event.message ?? '';
      const lower = message.toLowerCase();
      const keywords = EVENT_KEYWORDS.filter(k => lower.includes(k));
      if (keywords.length === 0) continue;
      events.push({
        id: event.id ?? `${service.serviceName}-${events.length}`,
        createdAt: iso(event.createdAt) ?? new Date(0).toISOString(),
        message,
        serviceName: service.serviceName!,
        keywords,
      });
    }
  }
  return events
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, 50);
}
