#!/usr/bin/env node
// Applies the README's install steps to a fresh app, literally: every fenced block that follows a
// marker `<!-- install-step {json} -->` in README.md, in order. The marker says where the block goes:
//   {"run": true}                           each line of the block is a shell command, run in the app
//   {"file": F, "before": A} / "after": A   the block inserted before / after the text A of F
//                                           (A must occur exactly once; "\n" in A is a line break)
//   {"file": F, "imports": true}            the block inserted after F's last import statement
//   {"file": F, "yamlMerge": true}          the block's YAML merged into F (maps merged, list items
//                                           added when not already there; F's comments kept)
//   {"file": F, "appendDocument": true}     the block appended to F as one more YAML document
//   "app": "new" | "legacy"                 only for that frontend system (default: both)
//
//   node scripts/install-guide/apply-readme.mjs <app-dir> <new|legacy> [README.md]
//
// Exits non-zero, naming the step, when a target file or anchor is missing or a command fails,
// so that a README the check can no longer follow fails the check.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const [appDir, system, readmeArg] = process.argv.slice(2);
if (!appDir || !['new', 'legacy'].includes(system)) {
  console.error('usage: apply-readme.mjs <app-dir> <new|legacy> [README.md]');
  process.exit(2);
}
const readme = readmeArg ?? path.join(here, '..', '..', 'README.md');

/** The README's steps: marker JSON, fence language, block text, line of the marker. */
function installSteps(markdown) {
  const steps = [];
  const re = /<!-- install-step (\{.*?\}) -->\s*\n```(\w*)\n([\s\S]*?)\n```/g;
  for (let m; (m = re.exec(markdown)); ) {
    const line = markdown.slice(0, m.index).split('\n').length;
    let spec;
    try {
      spec = JSON.parse(m[1]);
    } catch (e) {
      throw new Error(`README.md:${line}: the install-step marker is not JSON (${e.message})`);
    }
    steps.push({ spec, lang: m[2], text: m[3], line });
  }
  return steps;
}

function fail(step, message) {
  console.error(`install step at README.md:${step.line} (${JSON.stringify(step.spec)}): ${message}`);
  process.exit(1);
}

function insertAt(content, index, block) {
  return `${content.slice(0, index)}${block}\n${content.slice(index)}`;
}

function applyFileStep(step, file) {
  const { spec, text } = step;
  let content = fs.readFileSync(file, 'utf8');
  if (spec.before || spec.after) {
    const anchor = (spec.before ?? spec.after).replace(/\\n/g, '\n');
    const first = content.indexOf(anchor);
    if (first < 0) fail(step, `"${anchor}" is not in ${spec.file}`);
    if (content.indexOf(anchor, first + 1) >= 0) fail(step, `"${anchor}" occurs more than once in ${spec.file}`);
    if (spec.before) {
      const lineStart = content.lastIndexOf('\n', first) + 1;
      content = insertAt(content, lineStart, text);
    } else {
      const lineEnd = content.indexOf('\n', first + anchor.length);
      content = insertAt(content, lineEnd < 0 ? content.length : lineEnd + 1, text);
    }
  } else if (spec.imports) {
    const lines = content.split('\n');
    let last = -1;
    let inImport = false;
    lines.forEach((l, i) => {
      if (/^import\b/.test(l)) inImport = true;
      if (inImport && /;\s*$/.test(l)) {
        last = i;
        inImport = false;
      }
    });
    if (last < 0) fail(step, `${spec.file} has no import statement`);
    lines.splice(last + 1, 0, text);
    content = lines.join('\n');
  } else if (spec.yamlMerge) {
    const doc = YAML.parseDocument(content);
    const merge = (keys, value) => {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value)) merge([...keys, k], v);
        return;
      }
      const existing = doc.getIn(keys, true);
      if (Array.isArray(value) && YAML.isSeq(existing)) {
        const have = new Set(existing.toJSON().map(v => JSON.stringify(v)));
        for (const item of value) if (!have.has(JSON.stringify(item))) doc.addIn(keys, item);
        return;
      }
      doc.setIn(keys, value);
    };
    merge([], YAML.parse(text) ?? {});
    content = doc.toString();
  } else if (spec.appendDocument) {
    content = `${content.replace(/\n*$/, '\n')}---\n${text}\n`;
  } else {
    fail(step, 'the marker says neither run, before, after, imports, yamlMerge nor appendDocument');
  }
  fs.writeFileSync(file, content);
}

const steps = installSteps(fs.readFileSync(readme, 'utf8'));
if (!steps.length) {
  console.error(`${readme} has no install-step markers`);
  process.exit(1);
}
let applied = 0;
for (const step of steps) {
  const { spec, text } = step;
  if (spec.app && spec.app !== system) continue;
  if (spec.run) {
    for (const command of text.split('\n').filter(l => l.trim() && !l.trim().startsWith('#'))) {
      console.error(`$ ${command}`);
      try {
        execFileSync('bash', ['-c', command], { cwd: appDir, stdio: 'inherit' });
      } catch {
        fail(step, `\`${command}\` failed`);
      }
    }
  } else {
    const file = path.join(appDir, spec.file ?? '');
    if (!spec.file || !fs.existsSync(file)) fail(step, `the app has no ${spec.file}`);
    applyFileStep(step, file);
    console.error(`applied README.md:${step.line} to ${spec.file}`);
  }
  applied++;
}
console.error(`${applied} install steps of ${readme} applied (${system} frontend system)`);
