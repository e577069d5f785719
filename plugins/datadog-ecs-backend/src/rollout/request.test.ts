import { InputError } from '@backstage/errors';
import { parseRolloutRequest, parseStartRolloutRequest } from './request';

describe('rollout request validation (the rules the OpenAPI document does not state)', () => {
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

  // The rest of the request (variant, site, tags, imageTag, clientToken, unknown fields, a
  // clientToken in a preview) is the OpenAPI document's to refuse: see src/schema/router.test.ts.

  it('names unknown features, by their path', () => {
    const m = message({ features: { apm: true, tracing: true } });
    expect(m).toContain("'features.tracing'");
  });

  it('names the invalid field', () => {
    expect(message({ features: { apm: 'yes' } })).toContain(
      "body field 'features.apm'",
    );
    expect(message({ entityRef: 'component:' })).toContain(
      "body field 'entityRef' must be an entity ref",
    );
    expect(message({ entityRef: 'component:default/../x' })).toContain(
      "body field 'entityRef' must be an entity ref",
    );
  });

  it('names the input field of an action', () => {
    expect(() => parseRolloutRequest({ entityRef: 'x/y/z' }, 'input')).toThrow(
      "input field 'entityRef' must be an entity ref",
    );
  });
});
