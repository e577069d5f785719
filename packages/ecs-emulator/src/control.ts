import { EmulatorCore, InstanceTarget } from './emulator';
import { PolicyDocument } from './iam/policy';
import { InstanceSpec } from './model/instances';
import { Json } from './model/types';
import { Counters, FaultOptions } from './protocol/faults';

/**
 * In-process control of a running emulator (same operations as the HTTP control API).
 *
 * @public
 */
export class EmulatorControl {
  constructor(private readonly core: EmulatorCore) {}

  /** Simulated time (epoch ms). */
  now(): number {
    return this.core.clock.now();
  }

  /** Moves the simulated clock forward and runs the scheduler up to it. */
  advance(ms: number) {
    this.core.advance(ms);
  }

  counters(): Counters {
    return this.core.faults.getCounters();
  }

  resetCounters() {
    this.core.faults.resetCounters();
  }

  faults(): FaultOptions {
    return this.core.faults.get();
  }

  /** Replaces the fault configuration. */
  setFaults(faults: FaultOptions) {
    this.core.faults.set(faults);
  }

  /** Changes only the given fault settings. */
  mergeFaults(faults: FaultOptions) {
    this.core.faults.merge(faults);
  }

  /** Registers container instances; returns their ARNs. */
  join(
    target: {
      accountId: string;
      region: string;
      cluster: string;
    } & InstanceSpec,
  ): string[] {
    return this.core.joinInstances(target);
  }

  drain(target: InstanceTarget) {
    return this.core.instanceAction('drain', target);
  }

  activate(target: InstanceTarget) {
    return this.core.instanceAction('activate', target);
  }

  disconnect(target: InstanceTarget) {
    return this.core.instanceAction('disconnect', target);
  }

  reconnect(target: InstanceTarget) {
    return this.core.instanceAction('reconnect', target);
  }

  deregister(target: InstanceTarget) {
    return this.core.instanceAction('deregister', target);
  }

  /**
   * Gives an access key an IAM identity-based policy (replacing any previous
   * one), or removes it with `undefined`. Throws on a malformed document
   * (`PolicyValidationError`, code MalformedPolicyDocument) or an unknown key.
   * Returns the stored (normalized) policy.
   */
  setPolicy(
    accessKeyId: string,
    policy: PolicyDocument | undefined,
  ): PolicyDocument | undefined {
    return this.core.setPolicy(accessKeyId, policy);
  }

  /** The access key's policy, or undefined when it has none. */
  getPolicy(accessKeyId: string): PolicyDocument | undefined {
    return this.core.getPolicy(accessKeyId);
  }

  state(filter: { accountId?: string; region?: string } = {}): Json {
    return this.core.dump(filter);
  }
}
