import {
  EcsContainerDefinition,
  EcsKeyValuePair,
  EcsMountPoint,
  EcsPortMapping,
  EcsSecret,
  EcsVolume,
} from '../ecsTypes';
import { API_KEY_PLACEHOLDER } from '../features/datadogDefaults';
import { OverlayContext } from '../features/module';
import { RenderValidationError, ResolvedRenderOptionsWith } from './options';

/**
 * Collects the pieces the base and each feature's overlay add, in the order they add them. For a
 * managed daemon it refuses what a daemon task definition cannot hold (port mappings) and drops
 * `requiresCompatibilities` (a daemon task definition has none: it runs on Managed Instances only).
 */
export class AgentDefinitionBuilder {
  readonly environment: EcsKeyValuePair[] = [];
  readonly secrets: EcsSecret[] = [];
  readonly mountPoints: EcsMountPoint[] = [];
  readonly volumes: EcsVolume[] = [];
  readonly portMappings: EcsPortMapping[] = [];
  readonly agentFields: Partial<EcsContainerDefinition> = {};
  readonly sidecars: EcsContainerDefinition[] = [];
  readonly requiresCompatibilities: string[] = [];
  /** The feature whose overlay runs, for the errors. */
  feature = 'base';

  constructor(readonly managedDaemon: boolean) {}

  env(name: string, value: string) {
    this.environment.push({ name, value });
  }

  port(port: number, protocol: 'tcp' | 'udp') {
    if (this.managedDaemon) {
      throw this.noPortMappings(`host port ${port}/${protocol}`);
    }
    this.portMappings.push({ hostPort: port, protocol, containerPort: port });
  }

  sidecar(container: EcsContainerDefinition) {
    if (this.managedDaemon && container.portMappings?.length) {
      throw this.noPortMappings(`the container ${container.name} with ports`);
    }
    this.sidecars.push(container);
  }

  /**
   * Mounts a host path. `readOnly` is left out unless the guide sets it: the published base files
   * write `readOnly: null`, which ECS treats as absent (read-write).
   */
  bind(
    volume: string,
    hostPath: string,
    containerPath: string,
    readOnly?: boolean,
  ) {
    this.volumes.push({ host: { sourcePath: hostPath }, name: volume });
    this.mountPoints.push(
      readOnly === undefined
        ? { containerPath, sourceVolume: volume }
        : { containerPath, sourceVolume: volume, readOnly },
    );
  }

  /** The API key (a secret or a value), the site and the tags: the same for every target. */
  apiKeySiteAndTags(o: ResolvedRenderOptionsWith<string>) {
    if (o.apiKey.source === 'secretsManager') {
      this.secrets.push({ name: 'DD_API_KEY', valueFrom: o.apiKey.secretArn });
    } else {
      this.env(
        'DD_API_KEY',
        o.apiKey.source === 'plaintext'
          ? o.apiKey.value
          : o.apiKey.placeholder ?? API_KEY_PLACEHOLDER,
      );
    }
    this.env('DD_SITE', o.site);
    if (o.tags && o.tags.length > 0) {
      this.env('DD_TAGS', o.tags.join(' '));
    }
  }

  overlayContext(options: ResolvedRenderOptionsWith<string>): OverlayContext {
    return {
      options,
      windows: options.variant === 'windows',
      managedDaemon: this.managedDaemon,
      env: (name, value) => this.env(name, value),
      port: (port, protocol) => this.port(port, protocol),
      bind: (volume, hostPath, containerPath, readOnly) =>
        this.bind(volume, hostPath, containerPath, readOnly),
      agent: fields => Object.assign(this.agentFields, fields),
      sidecar: container => this.sidecar(container),
      requireCompatibility: c => {
        if (!this.managedDaemon) this.requiresCompatibilities.push(c);
      },
    };
  }

  private noPortMappings(what: string) {
    return new RenderValidationError(
      'managed-daemon-port-mapping',
      `The ${this.feature} overlay adds ${what}, but a daemon task definition has no port mappings (ECS Managed Instances)`,
    );
  }
}
