import { runInNewContext } from 'node:vm';
import { createRedactor, isSecretName, REDACTED } from './redaction';

describe('isSecretName', () => {
  it.each([
    'DD_API_KEY',
    'DD_APP_KEY',
    'dd_api_key',
    'MY_SERVICE_API_KEY',
    'GITHUB_TOKEN',
    'DB_PASSWORD',
    'CLIENT_SECRET',
    'PASSWORD',
    'DD_PROXY_APP_KEY',
  ])('%s is secret', name => expect(isSecretName(name)).toBe(true));

  it.each([
    'DD_SITE',
    'DD_APM_ENABLED',
    'TOKENIZER',
    'SECRET_PATH',
    'DD_SECRET_BACKEND_COMMAND',
    'KEY',
  ])('%s is not secret', name => expect(isSecretName(name)).toBe(false));
});

describe('createRedactor', () => {
  const taskDefinition = {
    family: 'datadog-agent-task',
    containerDefinitions: [
      {
        name: 'datadog-agent',
        environment: [
          { name: 'DD_API_KEY', value: 'abcdef0123456789abcdef0123456789' },
          { name: 'DD_SITE', value: 'datadoghq.com' },
          { name: 'DB_PASSWORD', value: 'hunter2hunter2' },
          { name: 'DD_APP_KEY', value: '<YOUR_DATADOG_APP_KEY>' },
        ],
        secrets: [
          {
            name: 'DD_API_KEY',
            valueFrom: 'arn:aws:secretsmanager:us-east-1:1:secret:x',
          },
        ],
      },
    ],
  };

  it('masks the values of secret-looking variables and keeps the rest, placeholders included', () => {
    const out = createRedactor().value(taskDefinition);
    const env = out.containerDefinitions[0].environment;
    expect(env).toEqual([
      { name: 'DD_API_KEY', value: REDACTED },
      { name: 'DD_SITE', value: 'datadoghq.com' },
      { name: 'DB_PASSWORD', value: REDACTED },
      { name: 'DD_APP_KEY', value: '<YOUR_DATADOG_APP_KEY>' },
    ]);
    // A secret reference is not a secret.
    expect(out.containerDefinitions[0].secrets[0].valueFrom).toContain(
      'secretsmanager',
    );
    // The input is untouched.
    expect(taskDefinition.containerDefinitions[0].environment[0].value).toMatch(
      /^abcdef/,
    );
  });

  it('masks configured secrets anywhere in any string', () => {
    const r = createRedactor(['dev-only-key-123']);
    expect(
      r.text('ClientException: bad value dev-only-key-123 in DD_API_KEY'),
    ).toBe(`ClientException: bad value ${REDACTED} in DD_API_KEY`);
    expect(
      r.value({
        error: { message: 'x dev-only-key-123 y' },
        list: ['dev-only-key-123'],
      }),
    ).toEqual({
      error: { message: `x ${REDACTED} y` },
      list: [REDACTED],
    });
  });

  it('masks a value it masked by name wherever else it appears, also earlier in the walk', () => {
    const r = createRedactor();
    const out = r.value({
      events: [
        { message: 'task started with abcdef0123456789abcdef0123456789' },
      ],
      taskDefinition,
    });
    expect(out.events[0].message).toBe(`task started with ${REDACTED}`);
    expect(r.text('later: abcdef0123456789abcdef0123456789')).toBe(
      `later: ${REDACTED}`,
    );
  });

  it('counts what it knows in its generation, which what it masks again leaves alone', () => {
    const r = createRedactor(['dev-only-key-123']);
    expect(r.generation()).toBe(1);
    const first = r.value(taskDefinition);
    // DD_API_KEY's and DB_PASSWORD's values were learned; the placeholder was not.
    expect(r.generation()).toBe(3);
    r.value(first);
    r.value({ message: 'nothing secret here' });
    r.learn('dev-only-key-123');
    expect(r.generation()).toBe(3);
    r.learn('another-secret-value');
    expect(r.generation()).toBe(4);
  });

  it('masks keys of maps and the before/after of diff entries on secret paths', () => {
    const out = createRedactor().value({
      env: { DD_API_KEY: 'plain-key-value', DD_SITE: 'datadoghq.eu' },
      diff: [
        {
          path: 'containerDefinitions[datadog-agent].environment.DD_API_KEY',
          kind: 'changed',
          before: 'old-key-value',
          after: 'new-key-value',
        },
        {
          path: 'containerDefinitions[datadog-agent].environment.DD_SITE',
          kind: 'changed',
          before: 'a',
          after: 'b',
        },
      ],
    });
    expect(out.env).toEqual({ DD_API_KEY: REDACTED, DD_SITE: 'datadoghq.eu' });
    expect(out.diff[0]).toMatchObject({ before: REDACTED, after: REDACTED });
    expect(out.diff[1]).toMatchObject({ before: 'a', after: 'b' });
  });

  it('keeps __proto__ keys as data and survives deep nesting', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const out = createRedactor().value(hostile) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);

    let deep: unknown = 'leaf';
    for (let i = 0; i < 500; i++) deep = { d: deep };
    expect(() => createRedactor().value(deep)).not.toThrow();
  });

  it('keeps a Date as it is, also one made in another realm (what V8 deserialises is)', () => {
    const here = new Date('2026-12-01T00:00:00Z');
    const foreign: unknown = runInNewContext(
      'new Date("2026-12-01T00:00:00Z")',
    );
    expect(foreign instanceof Date).toBe(false);
    const out = createRedactor().value({ here, foreign }) as Record<
      string,
      Date
    >;
    expect(out.here).toBe(here);
    expect(out.foreign).toBe(foreign);
  });

  it('does not search for short secrets inside text', () => {
    const r = createRedactor(['abc']);
    expect(r.text('abc def')).toBe('abc def');
  });
});
