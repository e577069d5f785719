import { InputError } from '@backstage/errors';
import { parseRolloutRequest, parseStartRolloutRequest } from './request';

describe('rollout request validation', () => {
  const message = (body: unknown) => {
    try {
      parseStartRolloutRequest(body);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as Error).message;
    }
    throw new Error('expected a 400');
  };

  it('accepts an empty body and a full one', () => {
    expect(parseRolloutRequest(undefined)).toEqual({});
    expect(
      parseStartRolloutRequest({
        variant: 'amazon-linux-1',
        external: false,
        features: { apm: true, logs: false },
        site: 'datadoghq.eu',
        tags: ['env:prod', 'team:payments'],
        imageTag: '7.60.0',
        entityRef: 'Component:default/payments-api',
        clientToken: 'ui-42',
      }),
    ).toEqual({
      variant: 'amazon-linux-1',
      external: false,
      features: { apm: true, logs: false },
      site: 'datadoghq.eu',
      tags: ['env:prod', 'team:payments'],
      imageTag: '7.60.0',
      entityRef: 'component:default/payments-api',
      clientToken: 'ui-42',
    });
  });

  it('names unknown fields, nested ones by their path', () => {
    const m = message({
      apiKey: 'abc',
      features: { apm: true, tracing: true },
    });
    expect(m).toContain("unknown body field(s) 'apiKey'");
    expect(m).toContain("'features.tracing'");
  });

  it('names the invalid field', () => {
    expect(message({ variant: 'solaris' })).toContain("body field 'variant'");
    expect(message({ site: 'example.com' })).toContain("body field 'site'");
    expect(message({ tags: ['ok:1', 'not a tag'] })).toContain(
      "body field 'tags.1' must be key:value",
    );
    expect(message({ imageTag: 'bad tag' })).toContain("body field 'imageTag'");
    expect(message({ features: { apm: 'yes' } })).toContain(
      "body field 'features.apm'",
    );
    expect(message({ entityRef: 'component:' })).toContain(
      "body field 'entityRef' must be an entity ref",
    );
    expect(message({ clientToken: 'with space' })).toContain(
      "body field 'clientToken'",
    );
  });

  it('refuses a clientToken in a preview', () => {
    expect(() => parseRolloutRequest({ clientToken: 'x' })).toThrow(
      "unknown body field(s) 'clientToken'",
    );
  });
});
