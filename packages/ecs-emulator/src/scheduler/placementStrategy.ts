import { usage } from '../model/placement';
import { ContainerInstance, Json, Service } from '../model/types';

/**
 * Picks the instance for a REPLICA task among `candidates` (all fit) by the
 * service's placement strategy: binpack and spread, in order; by default spread
 * over availability zones, then instances.
 */
export function chooseInstance(
  svc: Service,
  candidates: ContainerInstance[],
): ContainerInstance {
  const strategies: Json[] = svc.placementStrategy.length
    ? svc.placementStrategy
    : [
        { type: 'spread', field: 'attribute:ecs.availability-zone' },
        { type: 'spread', field: 'instanceId' },
      ];
  const countOf = (inst: ContainerInstance) =>
    [...inst.tasks].filter(t => t.serviceName === svc.name).length;
  const groupKey = (inst: ContainerInstance, field: string) => {
    if (field === 'instanceId' || field === 'host') return inst.id;
    return inst.attrMap.get(field.replace(/^attribute:/, '')) ?? '';
  };
  const groupCounts = new Map<string, number>();
  for (const s of strategies) {
    if (s.type === 'spread' && s.field !== 'instanceId' && s.field !== 'host') {
      for (const t of svc.tasks) {
        if (!t.containerInstance) continue;
        const k = `${s.field}=${groupKey(t.containerInstance, s.field)}`;
        groupCounts.set(k, (groupCounts.get(k) ?? 0) + 1);
      }
    }
  }
  const score = (inst: ContainerInstance): number[] =>
    strategies.map(s => {
      if (s.type === 'binpack') {
        const u = usage(inst);
        return s.field === 'cpu' ? inst.cpu - u.cpu : inst.memory - u.memory;
      }
      if (s.type === 'spread') {
        if (s.field === 'instanceId' || s.field === 'host')
          return countOf(inst);
        return groupCounts.get(`${s.field}=${groupKey(inst, s.field)}`) ?? 0;
      }
      return 0;
    });
  let best = candidates[0];
  let bestScore = score(best);
  for (const inst of candidates.slice(1)) {
    const sc = score(inst);
    for (let i = 0; i < sc.length; i++) {
      if (sc[i] < bestScore[i]) {
        best = inst;
        bestScore = sc;
        break;
      }
      if (sc[i] > bestScore[i]) break;
    }
  }
  return best;
}
