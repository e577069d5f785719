#!/usr/bin/env node
// A stand-in for the npm registry of one scope, serving the tarballs `scripts/pack.sh` packed, so
// that a fresh app installs `@ecs-agent-coverage/*` with the README's own `yarn add` commands, as it
// will once they are published. The app's .yarnrc.yml points only that scope here (npmScopes);
// every other package still comes from the app's usual registry.
//
//   node scripts/install-guide/registry.mjs <dir-of-tgz> <port-file>
//
// Listens on 127.0.0.1 on a free port, writes the port to <port-file>, and answers
//   GET /<name> (also /@scope%2fname)   the packument: every tarball's package.json as its version,
//                                        with dist.tarball, dist.shasum and dist.integrity
//   GET /-/tarballs/<file>.tgz           the tarball
// Anything else is a 404, as the registry answers for a package it does not have.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const [dir, portFile] = process.argv.slice(2);
if (!dir || !portFile) {
  console.error('usage: registry.mjs <dir-of-tgz> <port-file>');
  process.exit(2);
}

/** name → { versions: { [version]: manifest }, latest, time } */
const packages = new Map();
const files = new Map();
for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.tgz'))) {
  const full = path.join(dir, file);
  const bytes = fs.readFileSync(full);
  const manifest = JSON.parse(
    execFileSync('tar', ['-xOzf', full, 'package/package.json'], { encoding: 'utf8' }),
  );
  const entry = packages.get(manifest.name) ?? { versions: {}, latest: manifest.version };
  entry.versions[manifest.version] = {
    ...manifest,
    _id: `${manifest.name}@${manifest.version}`,
    dist: {
      tarball: `/-/tarballs/${file}`,
      shasum: crypto.createHash('sha1').update(bytes).digest('hex'),
      integrity: `sha512-${crypto.createHash('sha512').update(bytes).digest('base64')}`,
    },
  };
  entry.mtime = fs.statSync(full).mtime.toISOString();
  packages.set(manifest.name, entry);
  files.set(file, full);
}

const server = http.createServer((req, res) => {
  if (process.env.REGISTRY_LOG) console.error(req.method, req.url, req.headers.accept);
  const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const tarball = url.match(/^\/-\/tarballs\/([^/]+\.tgz)$/);
  if (tarball && files.has(tarball[1])) {
    const bytes = fs.readFileSync(files.get(tarball[1]));
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': bytes.length,
      connection: 'close',
    });
    res.end(bytes);
    return;
  }
  const entry = packages.get(url.slice(1));
  if (!entry) {
    send(res, 404, { error: 'Not found' });
    return;
  }
  const origin = `http://${req.headers.host}`;
  const versions = Object.fromEntries(
    Object.entries(entry.versions).map(([v, m]) => [
      v,
      { ...m, dist: { ...m.dist, tarball: origin + m.dist.tarball } },
    ]),
  );
  const time = Object.fromEntries(Object.keys(versions).map(v => [v, entry.mtime]));
  send(res, 200, {
    name: url.slice(1),
    'dist-tags': { latest: entry.latest },
    versions,
    time: { created: entry.mtime, modified: entry.mtime, ...time },
  });
});

function send(res, status, body) {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': bytes.length,
    connection: 'close',
  });
  res.end(bytes);
}

server.listen(0, '127.0.0.1', () => {
  fs.writeFileSync(portFile, String(server.address().port));
  console.error(
    `registry for ${[...packages.keys()].join(', ')} on http://127.0.0.1:${server.address().port}`,
  );
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
