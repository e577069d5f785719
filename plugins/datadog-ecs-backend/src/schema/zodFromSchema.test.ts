import { z } from 'zod/v3';
import { shapeFromSchema, zodFromSchema } from './zodFromSchema';

describe('action schemas from the OpenAPI document', () => {
  const request = z.object(shapeFromSchema(z, 'StartRolloutRequest')).strict();
  const issues = (input: unknown) => {
    const result = request.safeParse(input);
    return result.success ? [] : result.error.issues.map(i => `${i.path.join('.')}: ${i.message}`);
  };

  it("has the REST request's fields, rules and words", () => {
    expect(Object.keys(request.shape)).toEqual([
      'variant',
      'external',
      'features',
      'site',
      'tags',
      'imageTag',
      'target',
      'managedDaemon',
      'entityRef',
      'clientToken',
    ]);
    expect(issues({})).toEqual([]);
    expect(
      issues({ variant: 'linux', features: { apm: true }, tags: ['env:prod'], imageTag: '7.60.0' }),
    ).toEqual([]);
    expect(issues({ imageTag: 'latest; rm -rf /' })).toEqual(['imageTag: must be a valid image tag']);
    expect(issues({ tags: ['a b'] })).toEqual(['tags.0: must be key:value without spaces']);
    expect(issues({ tags: Array.from({ length: 51 }, (_, i) => `k${i}:v`) })).toEqual([
      'tags: at most 50 tags',
    ]);
    expect(issues({ clientToken: 'a b' })).toEqual([
      'clientToken: must be 1 to 64 printable ASCII characters without spaces',
    ]);
    expect(issues({ features: { apm: 'yes' } })).toHaveLength(1);
    expect(issues({ site: 'evil.example.com' })).toHaveLength(1);
    expect(issues({ apiKey: 'x' })[0]).toMatch(/apiKey/);
    // A managed daemon's deployment options (ECS Managed Instances).
    expect(
      issues({
        target: 'managed-daemon',
        managedDaemon: { critical: false, drainPercent: 12.5, bakeTimeInMinutes: 10 },
      }),
    ).toEqual([]);
    expect(issues({ managedDaemon: { drainPercent: 101 } })).toEqual([
      'managedDaemon.drainPercent: must be a percentage from 0 to 100',
    ]);
    expect(issues({ managedDaemon: { bakeTimeInMinutes: 1441 } })).toEqual([
      'managedDaemon.bakeTimeInMinutes: must be a whole number of minutes from 0 to 1440',
    ]);
    expect(issues({ target: 'sidecar' })).toHaveLength(1);
  });

  it('keeps the descriptions, for MCP clients', () => {
    expect(request.shape.imageTag.description).toBe(
      'The Agent image tag; the portal default when absent.',
    );
    expect(zodFromSchema(z, 'AccountId').description).toBe('A 12-digit AWS account id.');
  });

  it('lets a field be replaced', () => {
    const shape = shapeFromSchema(z, 'RolloutRequest', { features: z.literal('x') });
    expect(z.object(shape).safeParse({ features: 'x' }).success).toBe(true);
  });
});
