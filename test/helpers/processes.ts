import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
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
export function spawnEntry(entry: string, args: string[], env: Record<string, string>, options: SpawnOptions = {}): SpawnedProcess {
  return spawnCommand(process.execPath, ['--import', 'tsx', entry, ...args], env, options);
}

export interface SpawnOptions {
  /**
   * Where the process's stdout and stderr go: kept in memory for output() by default, or written to this file
   * (for long benchmark runs whose request logs would otherwise fill the parent's memory).
   */
  logFile?: string;
}

/** Any command, from the project root, with only the given environment (plus PATH and HOME). */
export function spawnCommand(command: string, args: string[], env: Record<string, string>, options: SpawnOptions = {}): SpawnedProcess {
  const logFd = options.logFile === undefined ? null : fs.openSync(options.logFile, 'a');
  const child = spawn(command, args, {
    cwd: projectRoot,
    // Only what the process needs, so nothing from the test runner's environment changes its configuration.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: logFd === null ? ['ignore', 'pipe', 'pipe'] : ['ignore', logFd, logFd],
  });
  if (logFd !== null) fs.closeSync(logFd);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => (options.logFile === undefined ? output : fs.readFileSync(options.logFile, 'utf8').slice(-20_000)),
    exited,
    signal: (s) => child.kill(s),
  };
}

export interface ApiProcess extends SpawnedProcess {
  url: string;
}

/** Starts the API server on a free port and waits until /health answers. */
export async function startApiProcess(env: Record<string, string>, options: SpawnOptions = {}): Promise<ApiProcess> {
  const port = await freePort();
  const spawned = spawnEntry('src/server.ts', [], { ...env, PORT: String(port), HOST: '127.0.0.1' }, options);
  return waitUntilServing(spawned, `http://127.0.0.1:${port}`, '/health');
}

/** Waits until `readyPath` answers 2xx, or throws with the process's output if it exits or takes over 30 s. */
export async function waitUntilServing(spawned: SpawnedProcess, url: string, readyPath: string): Promise<ApiProcess> {
  let exited = false;
  void spawned.exited.then(() => (exited = true));
  for (let attempt = 0; ; attempt++) {
    if (exited || attempt > 300) throw new Error(`process did not start serving:\n${spawned.output()}`);
    if (await fetch(`${url}${readyPath}`).then((r) => r.ok, () => false)) break;
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
