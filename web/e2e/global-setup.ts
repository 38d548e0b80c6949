import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const projectRoot = path.resolve(import.meta.dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts the service as `npm start` does (the embedded default: SQLite, memory store, in-process jobs, outbox
 * mailer) on a free port with a data directory of its own, after creating the superuser the admin spec logs in
 * as. The port is fixed before start so PUBLIC_URL, and with it the links in the mails, point at this server.
 */
export default async function globalSetup() {
  if (!fs.existsSync(path.join(projectRoot, 'web/dist/index.html'))) throw new Error('Build the web app first: npm run build:web');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-e2e-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    SECRET_KEY: randomBytes(32).toString('hex'),
    // The same hashing code with cheaper parameters, as the node suites use, so sign-ups stay quick.
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    OTP_RESEND_SECONDS: '0',
    // Every spec signs up from 127.0.0.1; the sign-up throttle has node tests of its own.
    SIGNUP_MAX_PER_ADDRESS: '100000',
  };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'PUBLIC_URL', 'WEB_APP_DIR']) delete env[name];

  const admin = { email: 'admin@spruce.test', name: 'site_admin', password: 'admin-password-1' };
  execFileSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'create-superuser', '--email', admin.email, '--name', admin.name], {
    cwd: projectRoot,
    env: { ...env, SPRUCE_PASSWORD: admin.password },
    stdio: ['ignore', 'ignore', 'inherit'],
  });

  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: projectRoot, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    const up = await fetch(`${baseURL}/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error('the server did not answer /health within 30 s');
    await sleep(100);
  }

  // Read by the specs (workers inherit the environment set here).
  process.env.E2E_BASE_URL = baseURL;
  process.env.E2E_OUTBOX = path.join(dataDir, 'outbox');
  process.env.E2E_ADMIN = JSON.stringify(admin);

  return async () => {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
