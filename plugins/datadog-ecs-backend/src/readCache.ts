import { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import {
  brotliCompress as brotliCallback,
  constants,
  gzip as gzipCallback,
} from 'node:zlib';
import { Redactor } from './redaction';

/*
 * The read side's cache: what the API serves from the stored snapshot is built, redacted,
 * serialised and compressed once per version of what it is built from (the router's keys, from
 * `SnapshotReads`), not once per request. Nothing here decides freshness by time.
 */

const gzip = promisify(gzipCallback);
const brotli = promisify(brotliCallback);

/** Bodies from this size on are also kept compressed (the root router's compression starts at 1 kB). */
const COMPRESS_FROM = 1024;
/** Brotli's quality: close to its best for JSON at a fraction of the time of the maximum (11). */
const BROTLI_QUALITY = 5;

/** A response body, redacted and serialised once; sent as is or compressed, as the client takes it. */
export interface PreparedJson {
  /** The redacted body as JSON (UTF-8). */
  readonly json: Buffer;
  /** The same bytes compressed, when large enough to be worth it. */
  readonly gzip?: Buffer;
  readonly br?: Buffer;
  /** A weak validator of the redacted body: the same for every encoding (RFC 9110 §8.8.1). */
  readonly etag: string;
}

/**
 * Redacts `body` with the plugin's redactor (as `res.json` does for every other response), then
 * serialises and compresses it: the only way to make a {@link PreparedJson}.
 */
export async function prepareJson(
  redactor: Redactor,
  body: unknown,
): Promise<PreparedJson> {
  const json = Buffer.from(JSON.stringify(redactor.value(body)), 'utf8');
  const etag = `W/"${createHash('sha1').update(json).digest('base64url')}"`;
  if (json.length < COMPRESS_FROM) return { json, etag };
  const [gzipped, br] = await Promise.all([
    gzip(json),
    brotli(json, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: json.length,
      },
    }),
  ]);
  return { json, etag, gzip: gzipped, br };
}

/**
 * Sends a prepared body: `application/json`, its ETag (a matching `If-None-Match` gets 304 with no
 * body, through express's freshness check) and `Cache-Control: private, no-cache`, Brotli or else
 * gzip when the request accepts it. Call it only once the request is authorized.
 */
export function sendPrepared(
  req: Request,
  res: Response,
  body: PreparedJson,
): void {
  res.vary('Accept-Encoding');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('ETag', body.etag);
  // Per user (authorized), and to be revalidated every time: a browser asks with If-None-Match.
  res.setHeader('Cache-Control', 'private, no-cache');
  // Brotli first when accepted at all (as the root router's compression prefers it), then gzip.
  let encoding: 'br' | 'gzip' | undefined;
  if (body.br && req.acceptsEncodings('br')) encoding = 'br';
  else if (body.gzip && req.acceptsEncodings('gzip')) encoding = 'gzip';
  if (encoding) res.setHeader('Content-Encoding', encoding);
  res.send(encoding ? body[encoding] : body.json);
}

const bytesOf = (body: PreparedJson) =>
  body.json.length + (body.gzip?.length ?? 0) + (body.br?.length ?? 0);

/**
 * Prepared bodies by key (the key names everything the body is built from), each built, redacted
 * and serialised once per generation of the redactor (what it masks changes only when it learns a
 * secret: see `Redactor.generation`), least recently used first out beyond `maxBytes`.
 * Concurrent requests for a body being built share the one build; a failed build is forgotten.
 */
export class PreparedBodies {
  private readonly entries = new Map<
    string,
    { body: Promise<PreparedJson>; bytes: number }
  >();
  private total = 0;

  constructor(
    private readonly redactor: Redactor,
    private readonly maxBytes: number,
  ) {}

  get(
    key: string,
    build: () => unknown | Promise<unknown>,
  ): Promise<PreparedJson> {
    const fullKey = `${this.redactor.generation()}|${key}`;
    const hit = this.entries.get(fullKey);
    if (hit) {
      this.entries.delete(fullKey);
      this.entries.set(fullKey, hit);
      return hit.body;
    }
    const entry = {
      body: Promise.resolve()
        .then(build)
        .then(body => prepareJson(this.redactor, body)),
      bytes: 0,
    };
    this.entries.set(fullKey, entry);
    entry.body.then(
      body => {
        if (this.entries.get(fullKey) !== entry) return;
        entry.bytes = bytesOf(body) + fullKey.length * 2;
        this.total += entry.bytes;
        this.evict();
      },
      () => {
        if (this.entries.get(fullKey) === entry) this.entries.delete(fullKey);
      },
    );
    return entry.body;
  }

  /** How many bodies are kept (for tests). */
  get size(): number {
    return this.entries.size;
  }

  private evict() {
    for (const [key, entry] of this.entries) {
      if (this.total <= this.maxBytes || this.entries.size <= 1) return;
      this.entries.delete(key);
      this.total -= entry.bytes;
    }
  }
}
