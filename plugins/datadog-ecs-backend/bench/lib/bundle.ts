/**
 * The frontend plugin's share of the app's production bundle, from the files in `dist/static`
 * and their source maps (`backstage-cli package build` writes one per chunk; its `sources` are the
 * modules in the chunk):
 *
 * - the plugin's chunks: the lazily loaded JavaScript chunks with a source of
 *   `plugins/datadog-ecs/src` or `plugins/datadog-ecs-common/src` (the common package reaches the
 *   browser through the plugin only), raw and gzipped (zlib's default level, as a compressing
 *   server sends them); the initial chunks (index.html's scripts) hold its registration only;
 * - the whole app: every JavaScript and CSS file of `dist/static`, the same way;
 * - what a page loads: the chunk files the browser fetched for it (the driver's resource timings).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface Size {
  raw: number;
  gzip: number;
}

interface ChunkFile extends Size {
  /** Its sources (module paths, from the source map). */
  sources: string[];
  initial: boolean;
}

export interface Bundle {
  /** By file name, e.g. `7945.b3bed03b9e56.chunk.js`. */
  files: Map<string, ChunkFile>;
  /** Every JS and CSS file. */
  app: Size;
  /** The lazy chunks with a plugin source. */
  plugin: Size & { chunks: number };
  /** The plugin's source files in the bundle, and their size as written (source map content). */
  pluginSources: { files: number; bytes: number; initialFiles: number };
  /** Source sizes as written, by source path (for the largest packages of a set of chunks). */
  sourceBytes: Map<string, number>;
}

const PLUGIN = /plugins\/datadog-ecs(-common)?\/src\//;
const add = (a: Size, b: Size): Size => ({
  raw: a.raw + b.raw,
  gzip: a.gzip + b.gzip,
});
const kb = (bytes: number) =>
  `${Math.round(bytes / 1024).toLocaleString('en-US')} KB`;

/** `node_modules/<package>` of a source path. */
function packageOf(source: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (m) return m[1];
  return /(plugins|packages)\/[^/]+/.exec(source)?.[0] ?? '(other)';
}

export function readBundle(dist: string): Bundle {
  const staticDir = join(dist, 'static');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const initial = new Set(
    [...html.matchAll(/src="[^"]*\/static\/([^"]+\.js)"/g)].map(m => m[1]),
  );
  const files = new Map<string, ChunkFile>();
  const sourceBytes = new Map<string, number>();
  let app: Size = { raw: 0, gzip: 0 };
  for (const name of readdirSync(staticDir)) {
    if (!/\.(js|css)$/.test(name)) continue;
    const data = readFileSync(join(staticDir, name));
    const size = { raw: data.length, gzip: gzipSync(data).length };
    app = add(app, size);
    if (!name.endsWith('.js')) continue;
    let sources: string[] = [];
    try {
      const map = JSON.parse(
        readFileSync(join(staticDir, `${name}.map`), 'utf8'),
      ) as { sources?: string[]; sourcesContent?: Array<string | null> };
      sources = map.sources ?? [];
      sources.forEach((source, i) => {
        const content = map.sourcesContent?.[i];
        if (content) sourceBytes.set(source, content.length);
      });
    } catch {
      // no source map: no sources known for this file
    }
    files.set(name, { ...size, sources, initial: initial.has(name) });
  }
  let plugin = { raw: 0, gzip: 0, chunks: 0 };
  const pluginFiles = new Set<string>();
  const initialPluginFiles = new Set<string>();
  for (const f of files.values()) {
    const own = f.sources.filter(source => PLUGIN.test(source));
    own.forEach(source => pluginFiles.add(source));
    if (f.initial) own.forEach(source => initialPluginFiles.add(source));
    else if (own.length) {
      plugin = { ...add(plugin, f), chunks: plugin.chunks + 1 };
    }
  }
  return {
    files,
    app,
    plugin,
    pluginSources: {
      files: pluginFiles.size,
      bytes: [...pluginFiles].reduce(
        (n, s) => n + (sourceBytes.get(s) ?? 0),
        0,
      ),
      initialFiles: initialPluginFiles.size,
    },
    sourceBytes,
  };
}

/** The files of a page (URL paths from the browser), their size and the largest packages in them. */
export function filesSize(
  bundle: Bundle,
  paths: string[],
): Size & { files: number; largest: string } {
  let size: Size = { raw: 0, gzip: 0 };
  const byPackage = new Map<string, number>();
  const seen = new Set<string>();
  let count = 0;
  for (const path of paths) {
    const f = bundle.files.get(path.slice(path.lastIndexOf('/') + 1));
    if (!f) continue;
    count++;
    size = add(size, f);
    for (const source of f.sources) {
      if (seen.has(source)) continue;
      seen.add(source);
      const pkg = packageOf(source);
      byPackage.set(
        pkg,
        (byPackage.get(pkg) ?? 0) + (bundle.sourceBytes.get(source) ?? 0),
      );
    }
  }
  const largest = [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([p, n]) => `${p} ${kb(n)}`)
    .join(', ');
  return { ...size, files: count, largest: largest || 'none' };
}
