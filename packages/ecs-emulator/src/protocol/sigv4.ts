import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { IncomingHttpHeaders } from 'node:http';

export interface SigV4Authorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/ecs/aws4_request, SignedHeaders=..., Signature=...`. */
export function parseAuthorization(
  header: string | undefined,
): SigV4Authorization | undefined {
  if (!header) return undefined;
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(header.trim());
  if (!m) return undefined;
  const fields: Record<string, string> = {};
  for (const part of m[1].split(',')) {
    const i = part.indexOf('=');
    if (i > 0) fields[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  const cred = fields.Credential?.split('/');
  if (
    !cred ||
    cred.length !== 5 ||
    cred[4] !== 'aws4_request' ||
    !fields.SignedHeaders ||
    !fields.Signature
  ) {
    return undefined;
  }
  return {
    accessKeyId: cred[0],
    date: cred[1],
    region: cred[2],
    service: cred[3],
    signedHeaders: fields.SignedHeaders.split(';'),
    signature: fields.Signature,
  };
}

const sha256 = (data: string | Buffer) =>
  createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) =>
  createHmac('sha256', key).update(data).digest();

function encodeRfc3986(s: string) {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function canonicalUri(path: string) {
  const segments = path
    .split('/')
    .map(seg => encodeRfc3986(encodeRfc3986(decodeURIComponent(seg))));
  return segments.join('/') || '/';
}

function canonicalQuery(query: string) {
  if (!query) return '';
  return query
    .split('&')
    .filter(Boolean)
    .map(p => {
      const i = p.indexOf('=');
      const k = decodeURIComponent(i >= 0 ? p.slice(0, i) : p);
      const v = decodeURIComponent(i >= 0 ? p.slice(i + 1) : '');
      return [encodeRfc3986(k), encodeRfc3986(v)];
    })
    .sort((a, b) => {
      const [x, y] = a[0] === b[0] ? [a[1], b[1]] : [a[0], b[0]];
      return x < y ? -1 : 1;
    })
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** Recomputes the SigV4 signature of a request and compares it. */
export function verifySignature(
  req: { method: string; url: string; headers: IncomingHttpHeaders },
  body: Buffer,
  auth: SigV4Authorization,
  secretAccessKey: string,
): boolean {
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!amzDate) return false;
  const [rawPath, rawQuery = ''] = req.url.split('?');
  const canonicalHeaders = auth.signedHeaders
    .map(name => {
      const v = req.headers[name];
      const value = Array.isArray(v) ? v.join(',') : String(v ?? '');
      return `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const payloadHash = String(
    req.headers['x-amz-content-sha256'] ?? sha256(body),
  );
  const canonicalRequest = [
    req.method,
    canonicalUri(rawPath),
    canonicalQuery(rawQuery),
    canonicalHeaders,
    auth.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    sha256(canonicalRequest),
  ].join('\n');
  const kDate = hmac(`AWS4${secretAccessKey}`, auth.date);
  const kRegion = hmac(kDate, auth.region);
  const kService = hmac(kRegion, auth.service);
  const kSigning = hmac(kService, 'aws4_request');
  const expected = createHmac('sha256', kSigning)
    .update(stringToSign)
    .digest('hex');
  const a = Buffer.from(expected);
  const b = Buffer.from(auth.signature);
  return a.length === b.length && timingSafeEqual(a, b);
}
