/**
 * The load generator, in its own process so that the measuring client never shares the server's
 * event loop: `connections` users, each on its own keep-alive connection (node:http Agent), sending
 * one request after the other (the next when the last byte of the previous answer arrived) for
 * the warm-up and then for the measured duration. The latency of a request is from sending it to
 * its last byte; an error is any answer but 200 or any failed request.
 */
import http from 'node:http';
import { serveCommands } from '../lib/child';

export interface LoadSpec {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  path: string;
  headers: Record<string, string>;
  connections: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** The first few errors, e.g. `503 …` or `ECONNRESET`. */
  errorSamples: string[];
  p50: number;
  p99: number;
  max: number;
  mean: number;
  /** Answers per second over the measured duration. */
  rps: number;
  /** Bytes of the body of one answer (as sent: compressed when it was). */
  bodyBytes: number;
}

export interface FetchedResponse {
  status: number;
  /** From sending the request to its last byte. */
  ms: number;
  headers: Record<string, string>;
  bodyBase64: string;
}

export type LoadCommand =
  | { type: 'load'; spec: LoadSpec }
  | {
      type: 'fetch';
      origin: string;
      path: string;
      headers: Record<string, string>;
    }
  | { type: 'exit' };

function once(
  agent: http.Agent | undefined,
  origin: string,
  path: string,
  headers: Record<string, string>,
): Promise<{
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(path, origin), { agent, headers }, res => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

export const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? 0
    : sorted[
        Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
      ];

async function load(spec: LoadSpec): Promise<LoadResult> {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: spec.connections,
    maxFreeSockets: spec.connections,
  });
  const started = performance.now();
  const measureFrom = started + spec.warmupMs;
  const end = measureFrom + spec.durationMs;
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let bodyBytes = 0;
  const user = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      let error: string | undefined;
      try {
        const res = await once(agent, spec.origin, spec.path, spec.headers);
        if (res.status !== 200) {
          error = `${res.status} ${res.body.toString('utf8', 0, 200)}`;
        } else bodyBytes = res.body.length;
      } catch (e) {
        error = String((e as Error)?.message ?? e);
      }
      const t1 = performance.now();
      if (t0 < measureFrom) continue;
      if (error !== undefined) {
        errors += 1;
        if (errorSamples.length < 3) errorSamples.push(error);
      } else latencies.push(t1 - t0);
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, user));
  const measuredMs = performance.now() - measureFrom;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    requests: sorted.length + errors,
    errors,
    errorSamples,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? 0,
    mean: sorted.reduce((n, x) => n + x, 0) / Math.max(1, sorted.length),
    rps: (sorted.length / measuredMs) * 1000,
    bodyBytes,
  };
}

serveCommands<LoadCommand>(async command => {
  switch (command.type) {
    case 'load':
      return load(command.spec);
    case 'fetch': {
      const started = performance.now();
      const res = await once(
        undefined,
        command.origin,
        command.path,
        command.headers,
      );
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        if (typeof v === 'string') headers[k] = v;
      }
      return {
        status: res.status,
        ms: performance.now() - started,
        headers,
        bodyBase64: res.body.toString('base64'),
      };
    }
    default:
      throw new Error(`unknown command ${(command as { type: string }).type}`);
  }
});
