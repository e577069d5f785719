/**
 * The floor of the API benchmark: a plain Node HTTP server, in its own process, handing out for
 * each path the bytes the plugin answered (body and its Content-Type, Content-Encoding, Vary and
 * ETag), ready in memory: no framework, no database, no serialisation. What the machine, Node's
 * HTTP stack and the load generator cost for those bytes.
 */
import http from 'node:http';
import { serveCommands } from '../lib/child';
import type { FetchedResponse } from './loadClient';

export type FloorCommand =
  | { type: 'serve'; responses: Record<string, FetchedResponse> }
  | { type: 'exit' };

const KEPT = ['content-type', 'content-encoding', 'vary', 'etag'];
let server: http.Server | undefined;

serveCommands<FloorCommand>(
  async command => {
    if (command.type !== 'serve')
      throw new Error(`unknown command ${command.type}`);
    const answers = new Map(
      Object.entries(command.responses).map(([path, r]) => {
        const body = Buffer.from(r.bodyBase64, 'base64');
        const headers: Record<string, string | number> = {
          'content-length': body.length,
        };
        for (const name of KEPT)
          if (r.headers[name]) headers[name] = r.headers[name];
        return [path, { status: r.status, headers, body }];
      }),
    );
    server = http.createServer((req, res) => {
      const answer = answers.get(req.url ?? '');
      if (!answer) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    return { origin: `http://127.0.0.1:${port}` };
  },
  async () => {
    server?.closeAllConnections();
    await new Promise(resolve =>
      server ? server.close(resolve) : resolve(undefined),
    );
  },
);
