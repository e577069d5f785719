import {
  createRedactor,
  REDACTED,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import express from 'express';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { PreparedBodies, prepareJson, sendPrepared } from './readCache';

const KEY = 'dev-only-key-0123456789';
const LEARNED = 'abcdef0123456789abcdef0123456789';

/** A body with a configured key in text, a variable's secret value, and 2 kB of the rest. */
const body = () => ({
  message: `failed with ${KEY}`,
  environment: [{ name: 'DD_API_KEY', value: 'fleet-key-value-1234' }],
  filler: 'x'.repeat(2048),
});

describe('prepareJson', () => {
  it('redacts the body as res.json does, serialises it once and compresses it', async () => {
    const redactor = createRedactor([KEY]);
    const prepared = await prepareJson(redactor, body());
    const parsed = JSON.parse(prepared.json.toString('utf8'));
    expect(parsed).toEqual(redactor.value(body()));
    expect(parsed.message).toBe(`failed with ${REDACTED}`);
    expect(parsed.environment[0].value).toBe(REDACTED);
    expect(prepared.json.toString()).not.toContain(KEY);
    expect(gunzipSync(prepared.gzip!).equals(prepared.json)).toBe(true);
    expect(brotliDecompressSync(prepared.br!).equals(prepared.json)).toBe(true);
    expect(prepared.gzip!.length).toBeLessThan(prepared.json.length / 4);
    expect(prepared.br!.length).toBeLessThan(prepared.json.length / 4);
    // The same body, the same validator; another body, another one.
    expect((await prepareJson(redactor, body())).etag).toBe(prepared.etag);
    expect(
      (await prepareJson(redactor, { ...body(), filler: 'y' })).etag,
    ).not.toBe(prepared.etag);
    expect(prepared.etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
  });

  it('keeps small bodies uncompressed', async () => {
    const prepared = await prepareJson(createRedactor(), { ok: true });
    expect(prepared.gzip).toBeUndefined();
    expect(prepared.br).toBeUndefined();
    expect(prepared.json.toString()).toBe('{"ok":true}');
  });
});

describe('sendPrepared', () => {
  async function app() {
    const prepared = await prepareJson(createRedactor(), body());
    const a = express();
    a.get('/x', (req, res) => sendPrepared(req, res, prepared));
    return { a, prepared };
  }

  it('answers Brotli or gzip to a client that takes it, identity otherwise, the same JSON and ETag', async () => {
    const { a, prepared } = await app();
    const json = JSON.parse(prepared.json.toString());
    // The bytes as sent (supertest would decompress gzip).
    const server = a.listen(0, '127.0.0.1');
    await new Promise(resolve => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const raw = (encoding: string) =>
      new Promise<{
        status?: number;
        headers: Record<string, any>;
        body: Buffer;
      }>((resolve, reject) => {
        http
          .get(
            {
              port,
              host: '127.0.0.1',
              path: '/x',
              headers: { 'accept-encoding': encoding },
            },
            res => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () =>
                resolve({
                  status: res.statusCode,
                  headers: res.headers,
                  body: Buffer.concat(chunks),
                }),
              );
            },
          )
          .on('error', reject);
      });
    try {
      // What browsers send: Brotli, as the root router's compression prefers it.
      const br = await raw('gzip, deflate, br, zstd');
      expect(br.status).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['content-type']).toBe(
        'application/json; charset=utf-8',
      );
      expect(br.headers.vary).toBe('Accept-Encoding');
      expect(br.headers['cache-control']).toBe('private, no-cache');
      expect(br.headers.etag).toBe(prepared.etag);
      expect(JSON.parse(brotliDecompressSync(br.body).toString())).toEqual(
        json,
      );

      const zipped = await raw('gzip, deflate');
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers.etag).toBe(prepared.etag);
      expect(JSON.parse(gunzipSync(zipped.body).toString())).toEqual(json);
    } finally {
      server.close();
    }

    const plain = await request(a).get('/x').set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(Number(plain.headers['content-length'])).toBe(prepared.json.length);
    expect(plain.headers.etag).toBe(prepared.etag);
    expect(plain.body).toEqual(json);
    const refused = await request(a)
      .get('/x')
      .set('Accept-Encoding', 'br;q=0, gzip;q=0');
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body).toEqual(json);
  });

  it('answers 304 without a body to If-None-Match with its ETag', async () => {
    const { a, prepared } = await app();
    const again = await request(a)
      .get('/x')
      .set('If-None-Match', prepared.etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const other = await request(a).get('/x').set('If-None-Match', 'W/"other"');
    expect(other.status).toBe(200);
  });
});

describe('PreparedBodies', () => {
  it('builds a key once, also for concurrent requests, and again for another key', async () => {
    const bodies = new PreparedBodies(createRedactor(), 1024 * 1024);
    // Nothing secret in it: the redactor learns nothing, its generation stays.
    const build = jest.fn(async () => ({ filler: 'x'.repeat(2048) }));
    const [a, b] = await Promise.all([
      bodies.get('k1', build),
      bodies.get('k1', build),
    ]);
    expect(a).toBe(b);
    expect(await bodies.get('k1', build)).toBe(a);
    expect(build).toHaveBeenCalledTimes(1);
    const c = await bodies.get('k2', build);
    expect(c).not.toBe(a);
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('redacts again once the redactor learned a secret: as if redacted per request', async () => {
    const redactor = createRedactor();
    const bodies = new PreparedBodies(redactor, 1024 * 1024);
    const text = { message: `task started with ${LEARNED}` };
    const first = await bodies.get('k', () => text);
    expect(first.json.toString()).toContain(LEARNED);
    // Another response masks it by its name: from now on it is masked wherever it appears.
    redactor.value({ environment: [{ name: 'DD_API_KEY', value: LEARNED }] });
    const second = await bodies.get('k', () => text);
    expect(second.json.toString()).not.toContain(LEARNED);
    expect(JSON.parse(second.json.toString())).toEqual(redactor.value(text));
  });

  it('forgets a failed build, and the least recently used bodies beyond its bytes', async () => {
    const bodies = new PreparedBodies(createRedactor(), 4 * 1024);
    await expect(
      bodies.get('bad', async () => {
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(bodies.size).toBe(0);
    const big = (n: number) => ({ n, filler: `${n}`.repeat(1500) });
    const first = await bodies.get('a', () => big(1));
    await bodies.get('b', () => big(2));
    expect(await bodies.get('a', () => big(9))).toBe(first);
    await bodies.get('c', () => big(3));
    // b was the least recently used one.
    expect(bodies.size).toBe(2);
    expect(
      JSON.parse((await bodies.get('b', () => big(4))).json.toString()).n,
    ).toBe(4);
    expect(
      JSON.parse((await bodies.get('c', () => big(5))).json.toString()).n,
    ).toBe(3);
  });
});
