// `npm start`: runs the server from a bundle of src/ (scripts/build.mjs) kept in node_modules/.cache/spruce/,
// rebuilt when a file under src/, package.json, package-lock.json or the build script changed. Plain node loads
// the bundle several times faster than tsx compiles and loads src/ file by file, and with no loader thread;
// checking that the bundle is current is a stat of each source file. The first start after a change pays
// esbuild's build (about a second), once. `npm run dev` still runs src/ through tsx.
//
// Arguments are the server's (`npm start -- --help`): it runs in this process, so it sees them and its signals.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheRoot = path.join(projectRoot, 'node_modules', '.cache', 'spruce');
const inputs = ['package.json', 'package-lock.json', 'scripts/build.mjs'];

/** What the bundle is built from: each file's path, size and modification time, as one hash. */
function sourceFingerprint() {
  const hash = createHash('sha256');
  const visit = (relative) => {
    const absolute = path.join(projectRoot, relative);
    const stat = fs.statSync(absolute, { throwIfNoEntry: false });
    if (stat === undefined) return hash.update(`${relative}:missing\n`);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(absolute).sort()) visit(path.join(relative, entry));
      return;
    }
    hash.update(`${relative}:${stat.size}:${stat.mtimeMs}\n`);
  };
  for (const input of [...inputs, 'src']) visit(input);
  return hash.digest('hex').slice(0, 16);
}

/** The bundle for the current sources, built first if missing. Safe when several starts race: each builds aside and renames. */
async function currentBundle() {
  const bundleDir = path.join(cacheRoot, sourceFingerprint());
  const server = path.join(bundleDir, 'server.js');
  if (fs.existsSync(server)) return server;
  const { buildInto } = await import('./build.mjs');
  const building = `${bundleDir}.building-${process.pid}`;
  try {
    await buildInto(building);
  } catch {
    // esbuild has printed what does not compile, with file and line; a stack trace of the build adds nothing.
    fs.rmSync(building, { recursive: true, force: true });
    console.error('npm start: src/ does not build (above); nothing started.');
    process.exit(1);
  }
  try {
    fs.renameSync(building, bundleDir);
  } catch (error) {
    // Another start finished the same bundle first: use theirs.
    if (!fs.existsSync(server)) throw error;
    fs.rmSync(building, { recursive: true, force: true });
  }
  // Bundles of older sources are no longer used by new starts, but a server still running from one may yet load
  // one of its lazily imported chunks (the docs UI, say): only those built over a day ago are removed.
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  for (const entry of fs.readdirSync(cacheRoot)) {
    const dir = path.join(cacheRoot, entry);
    if (entry !== path.basename(bundleDir) && fs.statSync(dir).mtimeMs < dayAgo) fs.rmSync(dir, { recursive: true, force: true });
  }
  return server;
}

await import(pathToFileURL(await currentBundle()).href);
