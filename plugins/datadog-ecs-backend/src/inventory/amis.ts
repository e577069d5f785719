/*
 * What an AMI's name says about the operating system of the instances that run it. Amazon names its
 * Amazon Linux AMIs by generation, the ECS-optimized ones included:
 *
 *   Amazon Linux 1     amzn-ami-2018.03.20231218-amazon-ecs-optimized, amzn-ami-hvm-2018.03.…
 *   Amazon Linux 2     amzn2-ami-ecs-hvm-2.0.20240903-x86_64-ebs, amzn2-ami-ecs-gpu-hvm-…,
 *                      amzn2-ami-ecs-inf-hvm-…, amzn2-ami-ecs-kernel-5.10-hvm-…-arm64-ebs, amzn2-ami-hvm-…
 *   Amazon Linux 2023  al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64, al2023-ami-ecs-gpu-hvm-…,
 *                      al2023-ami-ecs-neuron-hvm-…, al2023-ami-2023.6.…
 *   not Amazon Linux   bottlerocket-aws-ecs-2-x86_64-v1.32.0-…, bottlerocket-aws-ecs-1-nvidia-…
 *
 * Anything else (a custom AMI, even one built from Amazon Linux) says nothing: the generation is
 * unknown unless the instance's `datadog.amazon-linux-generation` attribute states it.
 */
/** What an AMI name says: an Amazon Linux generation, not Amazon Linux at all, or nothing. */
export type AmiNameReading = 1 | 2 | 2023 | 'not-amazon-linux' | undefined;

/** The name patterns, first match wins (the tested table). */
export const AMI_NAME_PATTERNS: ReadonlyArray<{
  pattern: RegExp;
  reading: Exclude<AmiNameReading, undefined>;
  what: string;
}> = [
  { pattern: /^amzn-ami-/, reading: 1, what: 'Amazon Linux 1 (amzn-ami-…)' },
  { pattern: /^amzn2-ami-/, reading: 2, what: 'Amazon Linux 2 (amzn2-ami-…)' },
  {
    pattern: /^al2023-ami-/,
    reading: 2023,
    what: 'Amazon Linux 2023 (al2023-ami-…)',
  },
  {
    pattern: /^bottlerocket-/,
    reading: 'not-amazon-linux',
    what: 'Bottlerocket (bottlerocket-…)',
  },
];

/** Reads an AMI's name (see the table above). Pure. */
export function readAmiName(name: string | undefined): AmiNameReading {
  if (!name) return undefined;
  return AMI_NAME_PATTERNS.find(p => p.pattern.test(name))?.reading;
}
