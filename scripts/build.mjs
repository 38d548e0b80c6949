// Builds dist/: the server, the worker, the CLI and the password-strength worker thread, bundled by esbuild into
// a few ES modules. Loading one bundle instead of hundreds of files (Kysely's index alone loads hundreds, Fastify,
// Ajv and their dependencies as many again) is most of what `node dist/server.js` gains over tsc's output.
// Code split at a dynamic import (Redis, BullMQ, SMTP, PostgreSQL, the docs UI) stays in a chunk of its own and
// still loads only when used. Packages that must stay files of their own stay in node_modules: native modules,
// and those that load their own files at run time (pino's transport thread, Piscina's worker, Swagger UI's
// assets, BullMQ's Lua scripts, zxcvbn's dictionaries in their thread). Types are checked by `npm run typecheck`,
// not here.
//
// `node scripts/build.mjs` builds into dist/ (`npm run build`); `buildInto(dir)` is used by scripts/start.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundled: plain JavaScript packages whose cost is mostly loading many files. Every other package stays external. */
const bundled = [
  'fastify',
  'fastify-plugin',
  '@fastify/cookie',
  '@fastify/cors',
  '@fastify/formbody',
  '@fastify/rate-limit',
  '@fastify/type-provider-typebox',
  '@fastify/fast-json-stringify-compiler',
  '@fastify/swagger',
  '@fastify/static',
  'kysely',
  'ajv',
  'ajv-formats',
  'typebox',
  'fast-jwt',
  'prom-client',
  'otpauth',
  'qrcode',
  'helmet',
  'bowser',
  'dotenv',
];

/** Entry points, named as the files they become in dist/. */
const entryPoints = {
  server: 'src/server.ts',
  worker: 'src/worker.ts',
  cli: 'src/cli.ts',
  // Found beside the module that starts it (new URL('./password-strength.worker.js', import.meta.url)): every
  // output file sits in the same folder, so it is found from whichever file that code lands in.
  'password-strength.worker': 'src/modules/identity/password-strength.worker.ts',
};

/** Resolves bare imports of packages not in `bundled` as external, so Node loads them from node_modules. */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { external: true };
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      if (bundled.includes(name)) return undefined;
      // Imported from a bundled package: external too, unless it is a dependency of one (then bundled).
      if (args.importer.includes('/node_modules/') && !isDirectDependency(name)) return undefined;
      return { external: true };
    });
  },
};

const dependencies = new Set(Object.keys(JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).dependencies));
function isDirectDependency(name) {
  return dependencies.has(name);
}

/** Builds the bundle into `outdir` (absolute, or relative to the project root). */
export async function buildInto(outdir) {
  const target = path.resolve(projectRoot, outdir);
  fs.rmSync(target, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: projectRoot,
    entryPoints,
    outdir: target,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunk-[hash]',
    sourcemap: true,
    // Bundled CommonJS packages call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    plugins: [externalPackages],
    logLevel: 'warning',
    metafile: true,
  });
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await buildInto(process.argv[2] ?? 'dist');
  console.log(`built ${process.argv[2] ?? 'dist'}/ in ${Math.round(performance.now() - started)} ms`);
}
