import { instance } from './__fixtures__/ecs';
import {
  AMAZON_LINUX_GENERATION_ATTRIBUTE,
  amazonLinuxGenerationOf,
  instanceIdOf,
  instanceInfo,
  isExternalInstance,
  osOf,
} from './instances';

describe('amazonLinuxGenerationOf', () => {
  it.each([
    ['19.03.13-ce', 1],
    ['18.09.9-ce', 1],
    ['20.10.25', 2],
    ['DockerVersion: 20.10.17', 2],
    ['23.0.1', 2],
    ['24.0.5', 2023],
    ['25.0.8', 2023],
  ])('reads Docker %s as Amazon Linux %s', (dockerVersion, generation) => {
    expect(amazonLinuxGenerationOf(instance('a', { dockerVersion }))).toBe(
      generation,
    );
  });

  it('prefers the custom attribute over the Docker version', () => {
    const al2 = instance('a', {
      dockerVersion: '25.0.8',
      attributes: { [AMAZON_LINUX_GENERATION_ATTRIBUTE]: '2' },
    });
    expect(amazonLinuxGenerationOf(al2)).toBe(2);
    const al1 = instance('a', {
      dockerVersion: '20.10.25',
      attributes: { [AMAZON_LINUX_GENERATION_ATTRIBUTE]: '1' },
    });
    expect(amazonLinuxGenerationOf(al1)).toBe(1);
    const al2023 = instance('a', {
      dockerVersion: '19.03.13-ce',
      attributes: { [AMAZON_LINUX_GENERATION_ATTRIBUTE]: '2023' },
    });
    expect(amazonLinuxGenerationOf(al2023)).toBe(2023);
  });

  it('ignores an invalid custom attribute and falls back to Docker', () => {
    const i = instance('a', {
      dockerVersion: '20.10.25',
      attributes: { [AMAZON_LINUX_GENERATION_ATTRIBUTE]: '3' },
    });
    expect(amazonLinuxGenerationOf(i)).toBe(2);
  });

  it('is unknown without a Docker version, on Windows and on ECS Anywhere', () => {
    expect(
      amazonLinuxGenerationOf(instance('a', { dockerVersion: 'unknown' })),
    ).toBeUndefined();
    expect(
      amazonLinuxGenerationOf(instance('w', { kind: 'windows' })),
    ).toBeUndefined();
    expect(
      amazonLinuxGenerationOf(instance('x', { kind: 'external' })),
    ).toBeUndefined();
    const explicitExternal = instance('x', {
      kind: 'external',
      attributes: { [AMAZON_LINUX_GENERATION_ATTRIBUTE]: '2023' },
    });
    expect(amazonLinuxGenerationOf(explicitExternal)).toBeUndefined();
  });
});

describe('osOf and EXTERNAL detection', () => {
  it('reads ecs.os-type, then ecs.os-family', () => {
    expect(osOf(instance('a'))).toBe('linux');
    expect(osOf(instance('w', { kind: 'windows' }))).toBe('windows');
    const familyOnly = instance('f');
    familyOnly.attributes = [
      { name: 'ecs.os-family', value: 'WINDOWS_SERVER_2019_FULL' },
    ];
    expect(osOf(familyOnly)).toBe('windows');
    familyOnly.attributes = [{ name: 'ecs.os-family', value: 'LINUX' }];
    expect(osOf(familyOnly)).toBe('linux');
    familyOnly.attributes = [];
    expect(osOf(familyOnly)).toBe('unknown');
    expect(instanceInfo(familyOnly)).toBeUndefined();
  });

  it('recognises ECS Anywhere by the mi- id or the external capability', () => {
    expect(isExternalInstance(instance('x', { kind: 'external' }))).toBe(true);
    const byId = instance('y', { ec2InstanceId: 'mi-0123456789abcdef0' });
    expect(isExternalInstance(byId)).toBe(true);
    const byCapability = instance('z', {
      ec2InstanceId: 'i-0abc',
      attributes: { 'ecs.capability.external': '' },
    });
    expect(isExternalInstance(byCapability)).toBe(true);
    expect(isExternalInstance(instance('a'))).toBe(false);
  });

  it('summarises an instance for the feature detectors', () => {
    expect(instanceInfo(instance('a', { kind: 'al2' }))).toEqual({
      os: 'linux',
      amazonLinuxGeneration: 2,
      external: false,
    });
    expect(instanceInfo(instance('x', { kind: 'external' }))).toEqual({
      os: 'linux',
      amazonLinuxGeneration: undefined,
      external: true,
    });
  });

  it('names an instance by its EC2 id, else its container-instance id', () => {
    expect(instanceIdOf(instance('a'))).toBe('i-a');
    const noEc2 = { ...instance('abc123'), ec2InstanceId: undefined };
    expect(instanceIdOf(noEc2)).toBe('abc123');
  });
});
