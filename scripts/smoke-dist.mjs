// Runs the compiled build the way production does (no tsx): migrate, start the API and check /health and a sign-up
// (whose password check runs in a worker thread), start the worker if this build has one, and stop each with
// SIGTERM expecting exit code 0. Uses DATABASE_URL / REDIS_URL
// from the environment when set, and a throwaway SQLite data directory otherwise. Run after `npm run build`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-smoke-'));
const env = {
  ...process.env,
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'info',
  DATA_DIR: dataDir,
  SECRET_KEY: process.env.SECRET_KEY ?? randomBytes(32).toString('hex'),
  // Production refuses to start without SMTP_URL unless the outbox is asked for; the smoke run sends no mail.
  ...(process.env.SMTP_URL ? {} : { MAIL_TO_OUTBOX: 'true' }),
};

function run(args, { waitFor, timeoutMs = 20_000 } = {}) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const matched = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')}: no ${waitFor} within ${timeoutMs} ms\n${output}`)), timeoutMs);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
      const match = waitFor === undefined ? null : waitFor.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    exited.then(() => clearTimeout(timer));
  });
  return { child, exited, matched };
}

async function expectExit(name, exited, expected = 0) {
  const { code, signal } = await exited;
  if (code !== expected) throw new Error(`${name} exited with ${code ?? signal}, expected ${expected}`);
  console.log(`ok: ${name} exited with ${code}`);
}

try {
  await expectExit('migrate', run(['dist/cli.js', 'migrate']).exited);

  const server = run(['dist/server.js'], { waitFor: /Server listening at (http:\/\/127\.0\.0\.1:\d+)/ });
  const baseUrl = (await server.matched)[1];
  const health = await fetch(`${baseUrl}/health`);
  if (health.status !== 200) throw new Error(`/health answered ${health.status}`);
  console.log(`ok: GET ${baseUrl}/health -> 200`);
  // New passwords are judged in a worker thread loaded from its own file: the build must ship it and find it.
  const signUp = (username, password) =>
    fetch(`${baseUrl}/users/sign-up`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const common = await signUp('smoke_common', 'Password123!');
  if (common.status !== 422) throw new Error(`sign-up with Password123! answered ${common.status}, expected 422: ${await common.text()}`);
  const strong = await signUp('smoke_strong', 'correct-horse-9!');
  if (strong.status !== 201) throw new Error(`sign-up with a strong password answered ${strong.status}, expected 201: ${await strong.text()}`);
  console.log('ok: POST /users/sign-up refuses Password123! (422) and accepts correct-horse-9! (201)');
  server.child.kill('SIGTERM');
  await expectExit('server', server.exited);

  if (fs.existsSync('dist/worker.js')) {
    const worker = run(['dist/worker.js']);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    if (worker.child.exitCode !== null) throw new Error(`worker stopped on its own with ${worker.child.exitCode}`);
    worker.child.kill('SIGTERM');
    await expectExit('worker', worker.exited);
  } else {
    console.log('skip: dist/worker.js is not in this build');
  }
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
