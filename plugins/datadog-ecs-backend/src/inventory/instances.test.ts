import { AmiImages } from '../aws/EcsGateway';
import { AMIS, FIXTURE_IMAGES, instance } from './__fixtures__/ecs';
import {
  AMAZON_LINUX_GENERATION_ATTRIBUTE,
  amazonLinuxGenerationOf,
  amiIdsToRead,
  instanceIdOf,
  instanceInfo,
  inventoriedInstance,
  isExternalInstance,
  osOf,
} from './instances';

const images = (name: string, id = AMIS.al2.id): AmiImages => ({
  [id]: { imageId: id, name },
});

describe('amazonLinuxGenerationOf', () => {
  it.each([
    ['19.03.13-ce', AMIS.al2.id, 2],
    ['18.09.9-ce', AMIS.al2.id, 2],
    ['18.06.1-ce', AMIS.al2.id, 2],
    ['20.10.25', AMIS.al2.id, 2],
    ['25.0.8', AMIS.al2023.id, 2023],
    ['19.03.13-ce', AMIS.al1.id, 1],
  ])(
    'reads the generation from the AMI, not from Docker %s (AMI %s: Amazon Linux %s)',
    (dockerVersion, amiId, generation) => {
      const i = instance('a', {
        dockerVersion,
        attributes: { 'ecs.ami-id': amiId },
      });
      expect(amazonLinuxGenerationOf(i, FIXTURE_IMAGES)).toEqual({
        generation,
        source: 'ami',
        amiId,
        amiName: FIXTURE_IMAGES[amiId]!.name,
      });
    },
  );

  it.each([
    ['19.03.13-ce'],
    ['18.09.9-ce'],
    ['20.10.25'],
    ['DockerVersion: 20.10.17'],
    ['23.0.1'],
    ['24.0.5'],
    ['25.0.8'],
  ])(
    'never derives a generation from Docker %s: unknown without the AMI',
    dockerVersion => {
      const i = instance('a', { dockerVersion });
      expect(amazonLinuxGenerationOf(i)).toEqual({
        source: 'unknown',
        amiId: AMIS.al2023.id,
      });
      expect(amazonLinuxGenerationOf(i).generation).toBeUndefined();
    },
  );

  it('prefers the custom attribute over the AMI', () => {
    const al2 = instance('a', {
      kind: 'al2023',
      attributes: { [AMAZON_LINUX_GENERATION_ATTRIBUTE]: '2' },
    });
    expect(amazonLinuxGenerationOf(al2, FIXTURE_IMAGES)).toMatchObject({
      generation: 2,
      source: 'attribute',
    });
    const al1 = instance('a', {
      kind: 'al2',
      attributes: { [AMAZON_LINUX_GENERATION_ATTRIBUTE]: '1' },
    });
    expect(amazonLinuxGenerationOf(al1, FIXTURE_IMAGES)).toMatchObject({
      generation: 1,
      source: 'attribute',
    });
    const al2023 = instance('a', {
      kind: 'al1',
      attributes: { [AMAZON_LINUX_GENERATION_ATTRIBUTE]: '2023' },
    });
    expect(amazonLinuxGenerationOf(al2023, FIXTURE_IMAGES)).toMatchObject({
      generation: 2023,
      source: 'attribute',
    });
    // Without any AMI read, the attribute alone.
    expect(amazonLinuxGenerationOf(al2023)).toMatchObject({
      generation: 2023,
      source: 'attribute',
    });
  });

  it('ignores an invalid custom attribute and falls back to the AMI', () => {
    const i = instance('a', {
      kind: 'al2',
      attributes: { [AMAZON_LINUX_GENERATION_ATTRIBUTE]: '3' },
    });
    expect(amazonLinuxGenerationOf(i, FIXTURE_IMAGES)).toMatchObject({
      generation: 2,
      source: 'ami',
    });
    expect(amazonLinuxGenerationOf(i)).toMatchObject({ source: 'unknown' });
  });

  it('is unknown for a custom AMI and for an AMI the account cannot read, with what is known of it', () => {
    const i = instance('a', { kind: 'al2' });
    expect(
      amazonLinuxGenerationOf(i, images('acme-golden-ecs-2024-11-01')),
    ).toEqual({
      source: 'unknown',
      amiId: AMIS.al2.id,
      amiName: 'acme-golden-ecs-2024-11-01',
    });
    expect(amazonLinuxGenerationOf(i, { [AMIS.al2.id]: null })).toEqual({
      source: 'unknown',
      amiId: AMIS.al2.id,
    });
    const noAmi = instance('b', {
      kind: 'al2',
      attributes: { 'ecs.ami-id': '' },
    });
    expect(amazonLinuxGenerationOf(noAmi, FIXTURE_IMAGES)).toEqual({
      source: 'unknown',
    });
  });

  it('reads Bottlerocket as known and not Amazon Linux: no generation, from the AMI', () => {
    const i = instance('a', { kind: 'al2' });
    expect(
      amazonLinuxGenerationOf(
        i,
        images('bottlerocket-aws-ecs-2-x86_64-v1.32.0-cacc4ce9'),
      ),
    ).toEqual({
      source: 'ami',
      amiId: AMIS.al2.id,
      amiName: 'bottlerocket-aws-ecs-2-x86_64-v1.32.0-cacc4ce9',
    });
  });

  it('has none on Windows and on ECS Anywhere (not applicable), whatever the attribute', () => {
    expect(
      amazonLinuxGenerationOf(
        instance('w', { kind: 'windows' }),
        FIXTURE_IMAGES,
      ),
    ).toEqual({
      amiId: AMIS.windows.id,
      amiName: AMIS.windows.name,
    });
    expect(
      amazonLinuxGenerationOf(instance('x', { kind: 'external' })),
    ).toEqual({});
    const explicitExternal = instance('x', {
      kind: 'external',
      attributes: { [AMAZON_LINUX_GENERATION_ATTRIBUTE]: '2023' },
    });
    expect(
      amazonLinuxGenerationOf(explicitExternal).generation,
    ).toBeUndefined();
    expect(amazonLinuxGenerationOf(explicitExternal).source).toBeUndefined();
  });
});

describe('amiIdsToRead', () => {
  it('lists the distinct AMIs of Linux EC2 instances only', () => {
    expect(
      amiIdsToRead([
        instance('a', { kind: 'al2' }),
        instance('b', { kind: 'al2' }),
        instance('c', { kind: 'al2023' }),
        instance('w', { kind: 'windows' }),
        instance('x', {
          kind: 'external',
          attributes: { 'ecs.ami-id': 'ami-x' },
        }),
        instance('n', { kind: 'al2', attributes: { 'ecs.ami-id': '' } }),
      ]),
    ).toEqual([AMIS.al2.id, AMIS.al2023.id]);
    expect(amiIdsToRead([])).toEqual([]);
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
    expect(
      instanceInfo(instance('a', { kind: 'al2' }), FIXTURE_IMAGES),
    ).toEqual({
      os: 'linux',
      amazonLinuxGeneration: 2,
      amazonLinuxGenerationSource: 'ami',
      external: false,
    });
    expect(instanceInfo(instance('a', { kind: 'al2' }))).toEqual({
      os: 'linux',
      amazonLinuxGeneration: undefined,
      amazonLinuxGenerationSource: 'unknown',
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

  it('keeps of a described instance only the attributes the inventory reads', () => {
    const kept = inventoriedInstance({
      containerInstanceArn: 'arn:aws:ecs:us-east-1:1:container-instance/c/abc',
      ec2InstanceId: 'i-abc',
      status: 'ACTIVE',
      agentConnected: true,
      runningTasksCount: 3,
      attributes: [
        { name: 'ecs.os-type', value: 'linux' },
        // the length of `ecs.os-type`, another name
        { name: 'ecs.os-tipe', value: 'linux' },
        { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.44' },
        { name: 'ecs.capability.external' },
        { value: 'a value without a name' } as { name: string; value: string },
        { name: 'ecs.ami-id', value: 'ami-1' },
        { name: AMAZON_LINUX_GENERATION_ATTRIBUTE, value: '2023' },
      ],
    });
    expect(kept).toEqual({
      containerInstanceArn: 'arn:aws:ecs:us-east-1:1:container-instance/c/abc',
      ec2InstanceId: 'i-abc',
      status: 'ACTIVE',
      agentConnected: true,
      attributes: [
        { name: 'ecs.os-type', value: 'linux' },
        { name: 'ecs.capability.external' },
        { name: 'ecs.ami-id', value: 'ami-1' },
        { name: AMAZON_LINUX_GENERATION_ATTRIBUTE, value: '2023' },
      ],
    });
    expect(Object.keys(kept.attributes![1])).toEqual(['name']);
  });
});
