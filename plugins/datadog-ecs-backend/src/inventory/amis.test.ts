import { AMI_NAME_PATTERNS, readAmiName } from './amis';

describe('readAmiName', () => {
  it.each([
    // Amazon Linux 1: the ECS-optimized AMI (every release), and Amazon's base AL1 AMIs.
    ['amzn-ami-2018.03.20231218-amazon-ecs-optimized', 1],
    ['amzn-ami-2018.03.20210219-amazon-ecs-optimized', 1],
    ['amzn-ami-2017.09.l-amazon-ecs-optimized', 1],
    ['amzn-ami-2016.09.g-amazon-ecs-optimized', 1],
    ['amzn-ami-hvm-2018.03.0.20230207.0-x86_64-gp2', 1],
    // Amazon Linux 2: x86_64, arm64, GPU, Inferentia, kernel 5.10, and the base AMI.
    ['amzn2-ami-ecs-hvm-2.0.20240903-x86_64-ebs', 2],
    ['amzn2-ami-ecs-hvm-2.0.20190402-x86_64-ebs', 2], // shipped Docker 18.09
    ['amzn2-ami-ecs-hvm-2.0.20240903-arm64-ebs', 2],
    ['amzn2-ami-ecs-gpu-hvm-2.0.20240903-x86_64-ebs', 2],
    ['amzn2-ami-ecs-inf-hvm-2.0.20250117-x86_64-ebs', 2],
    ['amzn2-ami-ecs-kernel-5.10-hvm-2.0.20240712-x86_64-ebs', 2],
    ['amzn2-ami-ecs-kernel-5.10-hvm-2.0.20240528-arm64-ebs', 2],
    ['amzn2-ami-ecs-kernel-5.10-gpu-hvm-2.0.20240712-x86_64-ebs', 2],
    ['amzn2-ami-kernel-5.10-hvm-2.0.20240620.0-x86_64-gp2', 2],
    // Amazon Linux 2023: x86_64, arm64, GPU, Neuron, and the base AMI.
    ['al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64', 2023],
    ['al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-arm64', 2023],
    ['al2023-ami-ecs-gpu-hvm-2023.0.20260901-kernel-6.1-x86_64-ebs', 2023],
    ['al2023-ami-ecs-neuron-hvm-2023.0.20251209-kernel-6.1-x86_64', 2023],
    ['al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64', 2023],
    // Bottlerocket: not Amazon Linux at all (the Linux variant fits it).
    ['bottlerocket-aws-ecs-1-x86_64-v1.16.0-d2d9cf87', 'not-amazon-linux'],
    ['bottlerocket-aws-ecs-2-aarch64-v1.32.0-cacc4ce9', 'not-amazon-linux'],
    [
      'bottlerocket-aws-ecs-2-nvidia-x86_64-v1.32.0-cacc4ce9',
      'not-amazon-linux',
    ],
    // Custom AMIs say nothing, even when built from Amazon Linux.
    ['acme-golden-ecs-2024-11-01', undefined],
    ['packer-amzn2-ecs-20240903', undefined],
    ['my-amzn2-ami-ecs-hvm-copy', undefined],
    [
      'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240927',
      undefined,
    ],
    ['', undefined],
    [undefined, undefined],
  ])('reads %p as %p', (name, reading) => {
    expect(readAmiName(name)).toBe(reading);
  });

  it('is a table whose patterns are anchored at the start of the name', () => {
    for (const { pattern } of AMI_NAME_PATTERNS) {
      expect(pattern.source.startsWith('^')).toBe(true);
    }
    // Amazon Linux 1's prefix does not swallow Amazon Linux 2's.
    expect(readAmiName('amzn2-ami-ecs-hvm-2.0.20240903-x86_64-ebs')).toBe(2);
  });
});
