import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface SpawnedProcess {
  child: ChildProcess;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  exited: Promise<number | null>;
  signal(signal: NodeJS.Signals): void;
}

/** Runs one of Spruce's entry points (src/server.ts, src/worker.ts, src/cli.ts) as a real OS process. */
export function spawnEntry(entry: string, args: string[], env: Record<string, string>): SpawnedProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: projectRoot,
    // Only what the process needs, so nothing from the test runner's environment changes its configuration.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited, signal: (s) => child.kill(s) };
}

export interface ApiProcess extends SpawnedProcess {
  url: string;
}

/** Starts the API server on a free port and waits until /health answers. */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const spawned = spawnEntry('src/server.ts', [], { ...env, PORT: String(port), HOST: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  void spawned.exited.then(() => (exited = true));
  for (let attempt = 0; ; attempt++) {
    if (exited || attempt > 300) throw new Error(`API process did not start:\n${spawned.output()}`);
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ...spawned, url };
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** fetch with a JSON body; resolves to status and parsed body, or to the network error's code. */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers } | { status: 'network-error'; code: string }> {
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? null : JSON.parse(text), headers: res.headers };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { status: 'network-error', code: cause?.code ?? (error as Error).message };
  }
}
