import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Config } from './config.js';

/** A start-up failure already worded as the one line to print: what is wrong and which setting fixes it. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** A database URL fit for a log line: the password is never shown. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

const connectionCodes = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET',
  '28P01', '3D000', '28000', // PostgreSQL: bad password, no such database, no such role
  'ER_ACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR', 'ER_DBACCESS_DENIED_ERROR', // MySQL/MariaDB: the same three
]);

/** Whether an error (or its cause) means the database could not be reached or would not let us in. */
export function isConnectionFailure(error: unknown): boolean {
  for (let current: any = error; current !== undefined && current !== null; current = current.cause) {
    if (connectionCodes.has(current.code)) return true;
    if (/timeout exceeded when trying to connect|Connection terminated/i.test(String(current.message ?? ''))) return true;
    // AggregateError from a host with several addresses, all refused.
    if (Array.isArray(current.errors) && current.errors.some((inner: any) => connectionCodes.has(inner?.code))) return true;
  }
  return false;
}

function reason(error: unknown): string {
  let current: any = error;
  while (current?.cause !== undefined && current.cause !== null) current = current.cause;
  const code = current?.code ?? current?.errors?.[0]?.code;
  const message = String(current?.message || current?.errors?.[0]?.message || current);
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}

/** The line for a database that cannot be reached, naming DATABASE_URL. */
export function databaseUnreachable(config: Pick<Config, 'databaseUrl'>, error: unknown, doing: string): string {
  return `Cannot connect to the database at DATABASE_URL=${redactUrl(config.databaseUrl ?? '')} ${doing} (${reason(error)}): check DATABASE_URL and that the database server is running.`;
}

/**
 * The directories this configuration writes to, each with the setting that chooses it: the generated secret and
 * the SQLite file live under DATA_DIR unless set elsewhere, the email outbox under OUTBOX_DIR.
 */
function writableDirectories(config: Config): [string, string][] {
  const directories: [string, string][] = [];
  if (config.secretKey === null) directories.push([config.dataDir, 'DATA_DIR']);
  if (config.databaseUrl === null) {
    const own = config.sqlitePath !== path.join(config.dataDir, 'spruce.db');
    directories.push([path.dirname(config.sqlitePath), own ? 'SQLITE_PATH' : 'DATA_DIR']);
  }
  if (config.smtpUrl === null) {
    const own = config.outboxDir !== path.join(config.dataDir, 'outbox');
    directories.push([config.outboxDir, own ? 'OUTBOX_DIR' : 'DATA_DIR']);
  }
  return directories;
}

/** Fails at start, naming the setting, when a directory the app will write to cannot be created or written. */
export function checkWritableDirectories(config: Config): void {
  for (const [directory, setting] of writableDirectories(config)) {
    const probe = path.join(directory, `.write-check-${process.pid}`);
    try {
      fs.mkdirSync(directory, { recursive: true });
      fs.writeFileSync(probe, '');
      fs.rmSync(probe);
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      throw new StartupError(`${setting}: ${directory} cannot be written (${code ?? (error as Error).message}): set ${setting} to a directory this user can write.`);
    }
  }
}

/**
 * Fails at once, naming PORT or HOST, when HOST:PORT cannot be listened on: asked before the app is loaded, so
 * the answer comes in a moment instead of after building everything. A port taken in between is still reported
 * by the real listen, with the same line.
 */
export async function checkListenable(config: Pick<Config, 'host' | 'port'>): Promise<void> {
  if (config.port === 0) return;
  const probe = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen({ host: config.host, port: config.port, exclusive: true }, resolve);
    });
  } catch (error) {
    const line = describeListenError(error, config);
    throw line === null ? error : new StartupError(line);
  }
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

/** The one line for a failure to listen, naming PORT or HOST; null when it is something else. */
export function describeListenError(error: unknown, config: Pick<Config, 'host' | 'port'>): string | null {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return `PORT ${config.port} is already in use on ${config.host}: stop the program using it, or set PORT to a free port.`;
    case 'EACCES':
      return `PORT ${config.port} needs privileges this user does not have: set PORT to 1024 or above.`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `HOST ${config.host} is not an address of this machine: set HOST to one of its addresses (or 0.0.0.0).`;
    default:
      return null;
  }
}
