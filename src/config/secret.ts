import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';

/**
 * The token secret: SECRET_KEY when set (always in production, which refuses to start without it). Otherwise a
 * random secret made on first start and kept under the data folder, so development tokens survive a restart
 * without anyone committing a secret.
 */
export function resolveSecret(config: Pick<Config, 'secretKey' | 'dataDir' | 'env'>): string {
  if (config.secretKey !== null) return config.secretKey;
  if (config.env === 'production') throw new Error('SECRET_KEY is required when NODE_ENV=production');
  const file = path.join(config.dataDir, 'secret_key');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  // 'wx' fails if another process wrote the file first; then that one's secret is the one to use.
  try {
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim();
    throw error;
  }
}
