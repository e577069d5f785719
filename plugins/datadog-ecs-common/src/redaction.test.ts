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

  it('copies only what holds a secret: plain values with nothing secret stay as they are', () => {
    const clean = { instances: [{ id: 'i-1', tags: ['a'] }], counts: { n: 1 } };
    expect(createRedactor(['s3cr3t-value']).value(clean)).toBe(clean);

    const input = {
      instances: [{ id: 'i-1' }, { id: 'i-2' }],
      env: [{ name: 'DD_API_KEY', value: 'abcdef123456' }],
      note: 'key abcdef123456 in text',
    };
    const snapshot = JSON.parse(JSON.stringify(input));
    const out = createRedactor().value(input);
    expect(out).toEqual({
      instances: [{ id: 'i-1' }, { id: 'i-2' }],
      env: [{ name: 'DD_API_KEY', value: REDACTED }],
      note: `key ${REDACTED} in text`,
    });
    expect(out).not.toBe(input);
    expect(out.env).not.toBe(input.env);
    // What holds no secret is shared, not copied; the input is left as it was.
    expect(out.instances).toBe(input.instances);
    expect(input).toEqual(snapshot);
  });

  it('copies anything but a plain object as its own enumerable properties', () => {
    class Holder {
      constructor(readonly token: string) {}
    }
    const error = Object.assign(new Error('failed with abcdef123456'), {
      code: 'X',
    });
    const r = createRedactor(['abcdef123456']);
    const out = r.value({ holder: new Holder('t0k3n-value'), error }) as {
      holder: unknown;
      error: unknown;
    };
    expect(out.holder).toEqual({ token: REDACTED });
    expect(Object.getPrototypeOf(out.holder)).toBe(Object.prototype);
    // An Error's message and stack are not own enumerable properties: they do not come along.
    expect(out.error).toEqual({ code: 'X' });
    expect(Object.getPrototypeOf(out.error)).toBe(Object.prototype);
  });

  it('keeps a __proto__ key as data in a copy too', () => {
    const hostile = JSON.parse(
      '{"__proto__": {"DD_API_KEY": "abcdef123456"}, "a": 1}',
    );
    const out = createRedactor().value(hostile) as Record<string, unknown>;
    expect(out).not.toBe(hostile);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({
      DD_API_KEY: REDACTED,
    });
    expect(({} as Record<string, unknown>).DD_API_KEY).toBeUndefined();
  });

  it('finds a known secret in a string as long as the secret, not in shorter ones', () => {
    const r = createRedactor(['abcdef123456']);
    expect(r.text('abcdef123456')).toBe(REDACTED);
    expect(r.text('abcdef12345')).toBe('abcdef12345');
    r.learn('zz-9');
    expect(r.text('x zz-9 y')).toBe('x zz-9 y');
    r.learn('shorter-1');
    expect(r.text('shorter-1')).toBe(REDACTED);
    expect(r.value({ m: 'a abcdef123456 b' })).toEqual({ m: `a ${REDACTED} b` });
  });
});
