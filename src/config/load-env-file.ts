import { existsSync } from 'node:fs';
import { config as loadWithDotenv } from 'dotenv';

/**
 * Loads a .env file when there is one. Variables already set in the environment win, so a deployment's own
 * settings are never replaced by a stray file. process.loadEnvFile arrived in Node 20.12; dotenv covers 20.11.
 */
export function loadEnvFile(file = '.env'): void {
  if (!existsSync(file)) return;
  if (typeof process.loadEnvFile === 'function') process.loadEnvFile(file);
  else loadWithDotenv({ path: file, quiet: true });
}
