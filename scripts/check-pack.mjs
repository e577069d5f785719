#!/usr/bin/env node
/*
 * Checks packed packages (the tarballs `yarn pack` wrote) the way an adopter's install sees them:
 *
 *   node scripts/check-pack.mjs --install <dir> [--expect <pkg-dir>=<path>]... <tarball>...
 *
 * Each tarball is extracted into <dir>/node_modules/<name> (so the packed packages resolve each
 * other, never the workspace's sources), then:
 *   - its package.json has no `workspace:` range, and depends on no private or unpacked workspace
 *     package;
 *   - every path it names (files, main, module, types, exports, typesVersions, bin, configSchema)
 *     and every --expect path is in the tarball, and dist/ is;
 *   - every bare import of its JavaScript (dist/, migrations/, bin/; parsed with TypeScript's
 *     preProcessFile, so comments and strings don't count) is a Node builtin, the package itself,
 *     or a declared dependency / peerDependency / optionalDependency; every declared dependency is
 *     imported by its JavaScript, its type declarations or its production sources in the workspace
 *     (src/ but tests and test utilities);
 *   - its CommonJS entry points load in a plain `node` (no TypeScript transform), with the
 *     repository's node_modules on NODE_PATH for the third-party dependencies, and each bin runs
 *     `--help`; its migrations/ (if any) run on an in-memory SQLite database from the installed copy.
 * Prints one line per package and a summary; the exit code is the number of packages that fail.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEP_FIELDS = [
  'dependencies',
  'peerDependencies',
  'optionalDependencies',
  'devDependencies',
];
const RUNTIME_FIELDS = [
  'dependencies',
  'peerDependencies',
  'optionalDependencies',
];
const JS_FILE = /\.(?:c|m)?js$/;
const BUILTINS = new Set(builtinModules);

function parseArgs(argv) {
  const opts = { install: undefined, expect: [], tarballs: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--install') opts.install = path.resolve(argv[++i]);
    else if (argv[i] === '--expect') opts.expect.push(argv[++i]);
    else opts.tarballs.push(path.resolve(argv[i]));
  }
  if (!opts.install || opts.tarballs.length === 0) {
    console.error(
      'usage: check-pack.mjs --install <dir> [--expect <pkg-dir>=<path>]... <tarball>...',
    );
    process.exit(2);
  }
  return opts;
}

/** The workspace packages of the repository, by name. */
function workspacePackages() {
  const byName = new Map();
  for (const parent of ['packages', 'plugins']) {
    for (const dir of fs.readdirSync(path.join(ROOT, parent))) {
      const file = path.join(ROOT, parent, dir, 'package.json');
      if (!fs.existsSync(file)) continue;
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
      byName.set(pkg.name, {
        dir: `${parent}/${dir}`,
        private: Boolean(pkg.private),
      });
    }
  }
  return byName;
}

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; undefined for relative or absolute paths. */
function packageOf(specifier) {
  if (
    specifier.startsWith('.') ||
    specifier.startsWith('/') ||
    specifier.startsWith('node:')
  ) {
    return undefined;
  }
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function isBuiltin(specifier) {
  return (
    specifier.startsWith('node:') ||
    BUILTINS.has(specifier) ||
    BUILTINS.has(specifier.split('/')[0])
  );
}

/** Not a test, story, mock, test utility or test setup (the dev files of no-undeclared-imports). */
function isProductionSource(file) {
  const rel = file.split(path.sep).join('/');
  return (
    /\.(?:ts|tsx|js|jsx)$/.test(rel) &&
    !/\.(?:test|stories)\.[^/]+$/.test(rel) &&
    !/\/(?:__testUtils__|__mocks__)\//.test(rel) &&
    !/\/src\/setupTests\.[^/]+$/.test(rel)
  );
}

function importsOf(file) {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return [...info.importedFiles, ...info.typeReferenceDirectives].map(
    f => f.fileName,
  );
}

/** Every path package.json points at, relative to the package root. */
function namedPaths(pkg) {
  const paths = [];
  const add = p => typeof p === 'string' && paths.push(p.replace(/^\.\//, ''));
  for (const f of pkg.files ?? []) add(f);
  for (const field of ['main', 'module', 'types', 'configSchema'])
    add(pkg[field]);
  // Export conditions; `backstage` is the feature type prepack records (@backstage/BackendFeature, …).
  const visit = v =>
    typeof v === 'string'
      ? add(v)
      : v &&
        Object.entries(v).forEach(([k, c]) => k !== 'backstage' && visit(c));
  visit(pkg.exports);
  for (const map of Object.values(pkg.typesVersions ?? {}))
    Object.values(map).flat().forEach(add);
  visit(typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : pkg.bin);
  return [...new Set(paths)];
}

function matches(dir, pattern) {
  if (!pattern.includes('*')) return fs.existsSync(path.join(dir, pattern));
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map(s => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')}$`,
  );
  return walk(dir).some(f =>
    re.test(path.relative(dir, f).split(path.sep).join('/')),
  );
}

/** Runs node in the install folder, so that `require(name)` finds the packed package, never the workspace. */
function run(args, cwd) {
  const env = { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') };
  delete env.NODE_OPTIONS;
  return spawnSync(process.execPath, args, {
    cwd,
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
}

/** Extracts a tarball (npm tarballs hold one folder, package/) into <installDir>/node_modules/<name>. */
function extract(tarball, installDir) {
  const staging = fs.mkdtempSync(path.join(installDir, '.extract-'));
  execFileSync('tar', ['-xzf', tarball, '-C', staging]);
  const pkg = JSON.parse(
    fs.readFileSync(path.join(staging, 'package', 'package.json'), 'utf8'),
  );
  const dir = path.join(installDir, 'node_modules', pkg.name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.renameSync(path.join(staging, 'package'), dir);
  fs.rmSync(staging, { recursive: true, force: true });
  return { tarball, pkg, dir, installDir };
}

function checkPackage(
  { tarball, pkg, dir, installDir },
  workspaces,
  packedNames,
  expect,
) {
  const problems = [];
  // package.json: no workspace ranges, no dependency on a workspace package that isn't published.
  for (const field of DEP_FIELDS) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (String(range).startsWith('workspace:'))
        problems.push(`${field}.${name} is "${range}"`);
      const ws = workspaces.get(name);
      if (
        ws &&
        field !== 'devDependencies' &&
        (ws.private || !packedNames.has(name))
      ) {
        problems.push(
          `${field}.${name} is a workspace package that is not published`,
        );
      }
    }
  }

  // Files: dist/, everything package.json names, and the expected extras.
  const source = workspaces.get(pkg.name)?.dir;
  const expected = ['dist', ...namedPaths(pkg)];
  for (const e of expect) {
    const [pkgDir, p] = e.split('=');
    if (pkgDir === source) expected.push(p);
  }
  for (const p of new Set(expected))
    if (!matches(dir, p)) problems.push(`missing ${p}`);

  // Imports against declared dependencies.
  const declared = new Set(
    RUNTIME_FIELDS.flatMap(f => Object.keys(pkg[f] ?? {})),
  );
  const files = walk(dir).filter(
    f => !path.relative(dir, f).split(path.sep).includes('node_modules'),
  );
  const jsFiles = files.filter(f => {
    const rel = path.relative(dir, f);
    return JS_FILE.test(rel) || rel.startsWith(`bin${path.sep}`);
  });
  const used = new Set();
  const undeclared = new Map();
  for (const file of jsFiles) {
    for (const spec of importsOf(file)) {
      if (isBuiltin(spec)) continue;
      const name = packageOf(spec);
      if (!name || name === pkg.name) continue;
      used.add(name);
      if (!declared.has(name)) undeclared.set(name, path.relative(dir, file));
    }
  }
  for (const [name, file] of undeclared)
    problems.push(`imports ${name} (${file}) but does not declare it`);
  for (const file of files.filter(f => f.endsWith('.d.ts'))) {
    for (const spec of importsOf(file)) {
      const name = packageOf(spec);
      if (name) used.add(name);
    }
  }
  // A type-only import written as a value import (`import { Knex } from 'knex'`) leaves no trace in
  // dist/, yet Backstage's lint (no-undeclared-imports) wants it in dependencies: count the imports
  // of the production sources too (the files that rule treats as such).
  if (source) {
    for (const file of walk(path.join(ROOT, source, 'src')).filter(
      isProductionSource,
    )) {
      for (const spec of importsOf(file)) {
        const name = packageOf(spec);
        if (name) used.add(name);
      }
    }
  }
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    if (!used.has(name))
      problems.push(
        `declares ${name} but neither its JavaScript, its types nor its sources import it`,
      );
  }

  // CommonJS entry points load without a transform; bins answer --help.
  const entries = Object.entries(
    pkg.exports ?? { '.': { require: pkg.main } },
  ).filter(
    ([mount, e]) =>
      mount !== './package.json' && e && typeof e === 'object' && e.require,
  );
  for (const [mount] of entries) {
    const request = mount === '.' ? pkg.name : `${pkg.name}/${mount.slice(2)}`;
    const r = run(['-e', `require(${JSON.stringify(request)})`], installDir);
    if (r.status !== 0)
      problems.push(`require('${request}') fails: ${firstError(r)}`);
  }
  if (!pkg.exports && pkg.main && pkg.main.endsWith('.cjs.js')) {
    const r = run(['-e', `require(${JSON.stringify(pkg.name)})`], installDir);
    if (r.status !== 0)
      problems.push(`require('${pkg.name}') fails: ${firstError(r)}`);
  }
  // Migrations run from the installed package (found the way resolvePackagePath finds them), on an
  // in-memory SQLite database.
  if (fs.existsSync(path.join(dir, 'migrations'))) {
    const script = `
      const knex = require('knex')({ client: 'better-sqlite3', connection: ':memory:', useNullAsDefault: true });
      const directory = require('node:path').resolve(require.resolve(${JSON.stringify(
        `${pkg.name}/package.json`,
      )}), '..', 'migrations');
      knex.migrate.latest({ directory }).then(([, done]) => { console.log(done.length); return knex.destroy(); })
        .catch(e => { console.error(e); process.exit(1); });`;
    const r = run(['-e', script], installDir);
    if (r.status !== 0)
      problems.push(`migrations fail on SQLite: ${firstError(r)}`);
    else if (!(Number(r.stdout.trim()) > 0)) problems.push('no migration ran');
  }
  const bins =
    typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : pkg.bin ?? {};
  for (const [name, bin] of Object.entries(bins)) {
    const r = run([path.join(dir, bin), '--help'], installDir);
    if (r.status !== 0 || !/usage/i.test(r.stdout))
      problems.push(`bin ${name} --help fails: ${firstError(r)}`);
  }

  const size = fs.statSync(tarball).size;
  const counts = RUNTIME_FIELDS.map(f => Object.keys(pkg[f] ?? {}).length);
  return {
    name: pkg.name,
    problems,
    detail: `${files.length} files, ${(size / 1024).toFixed(0)} kB; ${
      counts[0]
    } deps, ${counts[1]} peer deps, ${used.size} imported`,
  };
}

function firstError(r) {
  const text =
    `${r.stderr || ''}${r.stdout || ''}`.trim() ||
    (r.error ? String(r.error) : `exit ${r.status}`);
  return (
    text.split('\n').find(l => /Error|error/.test(l)) ?? text.split('\n')[0]
  )
    .trim()
    .slice(0, 200);
}

const opts = parseArgs(process.argv.slice(2));
fs.mkdirSync(path.join(opts.install, 'node_modules'), { recursive: true });
const workspaces = workspacePackages();
// Extract everything before checking anything, so that the packed packages load each other.
const extracted = [];
const results = [];
for (const t of opts.tarballs) {
  try {
    extracted.push(extract(t, opts.install));
  } catch (e) {
    results.push({
      name: path.basename(t),
      problems: [`cannot extract: ${e.message}`],
      detail: '',
    });
  }
}
const packedNames = new Set(extracted.map(e => e.pkg.name));
for (const e of extracted) {
  try {
    results.push(checkPackage(e, workspaces, packedNames, opts.expect));
  } catch (err) {
    results.push({
      name: e.pkg.name,
      problems: [`cannot check: ${err.message}`],
      detail: '',
    });
  }
}
let failed = 0;
for (const r of results) {
  if (r.problems.length) failed++;
  console.log(
    `${r.problems.length ? 'FAIL' : 'ok  '}  ${r.name}  (${r.detail})`,
  );
  for (const p of r.problems) console.log(`        - ${p}`);
}
console.log(
  `${results.length - failed} of ${
    results.length
  } packages pass the pack check`,
);
process.exit(failed);
