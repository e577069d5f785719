import { ContainerInstanceInfo } from '../features/types';
import { variantFromInstances } from './reverse';

const al = (
  generation: 1 | 2 | 2023,
  source: 'ami' | 'attribute' = 'ami',
): ContainerInstanceInfo => ({
  os: 'linux',
  amazonLinuxGeneration: generation,
  amazonLinuxGenerationSource: source,
});
const unknown: ContainerInstanceInfo = {
  os: 'linux',
  amazonLinuxGenerationSource: 'unknown',
};
const bottlerocket: ContainerInstanceInfo = {
  os: 'linux',
  amazonLinuxGenerationSource: 'ami',
};

describe('variantFromInstances with an unknown Amazon Linux generation', () => {
  it.each<[string, ContainerInstanceInfo[], string, number]>([
    ['only unknown instances (a custom AMI)', [unknown, unknown], 'linux', 2],
    ['Amazon Linux 2 and unknown', [al(2), unknown], 'linux', 1],
    ['Bottlerocket (not Amazon Linux) is known', [bottlerocket, bottlerocket], 'linux', 0],
    ['Amazon Linux 1 from the AMI', [al(1), al(1), unknown], 'amazon-linux-1', 1],
    ['Amazon Linux 1 from the attribute', [al(1, 'attribute')], 'amazon-linux-1', 0],
    ['unknown does not make Amazon Linux 1 a majority', [al(1), unknown, unknown], 'linux', 2],
    ['Windows majority', [{ os: 'windows' }, { os: 'windows' }, unknown], 'windows', 1],
  ])('%s: %s, %s unknown', (_what, instances, variant, generationUnknown) => {
    const choice = variantFromInstances(instances);
    expect(choice.variant).toBe(variant);
    expect(choice.generationUnknown).toBe(generationUnknown);
  });

  it('counts neither ECS Anywhere nor instances recorded without a source as unknown', () => {
    expect(
      variantFromInstances([
        { os: 'linux', external: true, amazonLinuxGenerationSource: 'unknown' },
        { os: 'linux' },
        { os: 'windows' },
      ]).generationUnknown,
    ).toBe(0);
  });

  it('takes an answer for the unknown instances: Amazon Linux 1 only when told so', () => {
    expect(
      variantFromInstances([unknown, unknown], { unknownGeneration: 1 }),
    ).toEqual({
      variant: 'amazon-linux-1',
      external: false,
      mixedFleet: false,
      mixedReasons: [],
      generationUnknown: 2,
    });
    expect(
      variantFromInstances([unknown, unknown], { unknownGeneration: 2 }).variant,
    ).toBe('linux');
    // Known Amazon Linux 2 instances outvote an answer about one unknown instance, and the mix shows.
    const mixed = variantFromInstances([al(2), al(2023), unknown], {
      unknownGeneration: 1,
    });
    expect(mixed.variant).toBe('linux');
    expect(mixed.mixedReasons).toEqual([
      '1 Amazon Linux 1 and 2 other Linux instances (different cgroup paths)',
    ]);
  });

  it('never reads Amazon Linux 1 into a generation it was not given', () => {
    // Without a source (as before the AMI was read) and without a generation: not Amazon Linux 1.
    expect(variantFromInstances([{ os: 'linux' }, { os: 'linux' }]).variant).toBe(
      'linux',
    );
  });
});
