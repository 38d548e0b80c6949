import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { buildApp, type BuildOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { mysqlConnectionOptions } from '../../src/infra/database.js';

import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from '../infra/support/redis.js';

export type DialectName = 'sqlite' | 'postgres' | 'mysql';

/**
 * Every test suite runs on SQLite, on PostgreSQL too when TEST_DATABASE_URL is set, and on MySQL/MariaDB when
 * TEST_MYSQL_URL is set. The SQLite leg uses the embedded store (memory) and the server legs the production one
 * (Redis, when TEST_REDIS_URL is set), so each suite covers both store implementations.
 */
export const dialects: DialectName[] = [
  'sqlite',
  ...(process.env.TEST_DATABASE_URL ? (['postgres'] as const) : []),
  ...(process.env.TEST_MYSQL_URL ? (['mysql'] as const) : []),
];

export interface ThrowawayDatabase {
  url: string;
  drop: () => Promise<void>;
}

export const testPassword = 'correct-horse-9';

/** A PostgreSQL database of its own, created for one test app and dropped after it. */
export async function createPostgresDatabase(): Promise<ThrowawayDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL as string;
  const name = `spruce_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A MySQL/MariaDB database of its own (on the server of TEST_MYSQL_URL), created for one test app and dropped after it. */
export async function createMysqlDatabase(): Promise<ThrowawayDatabase> {
  const adminUrl = process.env.TEST_MYSQL_URL as string;
  const name = `spruce_test_${randomBytes(6).toString('hex')}`;
  const run = async (statement: string) => {
    const admin = await mysql.createConnection(mysqlConnectionOptions(adminUrl));
    try {
      await admin.query(statement);
    } finally {
      await admin.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name}`) };
}

/** A throwaway database on the server of a server dialect's test URL. */
export function createServerDatabase(dialect: 'postgres' | 'mysql'): Promise<ThrowawayDatabase> {
  return dialect === 'postgres' ? createPostgresDatabase() : createMysqlDatabase();
}

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  dialect: DialectName;
  /** The environment the app was built from, for building a second app on the same database and store. */
  env: Record<string, string>;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * Builds the real app on a fresh database of the chosen dialect. Hashing is made cheap (it is the same code,
 * with smaller argon2 parameters) so suites stay fast; `env` overrides any setting.
 */
export async function createTestApp(dialect: DialectName, env: Record<string, string> = {}, options: BuildOptions = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-test-'));
  const server = dialect === 'sqlite' ? null : await createServerDatabase(dialect);
  const redis = dialect !== 'sqlite' && testRedisUrl !== null && env.REDIS_URL === undefined ? { url: testRedisUrl, prefix: uniqueKeyPrefix() } : null;
  const fullEnv: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    SECRET_KEY: randomBytes(32).toString('hex'),
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    MIGRATE_ON_START: 'true',
    // Suites behave the same whether or not the web app was built; test/web-app.test.ts brings its own.
    WEB_APP_DIR: path.join(dataDir, 'no-web-app'),
    // Suites sign up many users from one address; the sign-up throttle has tests of its own.
    SIGNUP_MAX_PER_ADDRESS: '1000000',
    ...(server ? { DATABASE_URL: server.url } : {}),
    ...(redis ? { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix } : {}),
    ...env,
  };
  const config = loadConfig(fullEnv);
  let app: FastifyInstance;
  try {
    app = await buildApp(config, options);
  } catch (error) {
    await server?.drop();
    if (redis) await deleteKeysWithPrefix(redis.url, redis.prefix);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    app,
    config,
    dialect,
    env: fullEnv,
    inject: (options) => app.inject(options),
    close: async () => {
      await app.close();
      await server?.drop();
      if (redis) await deleteKeysWithPrefix(redis.url, redis.prefix);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
  token: string;
  headers: { authorization: string };
}

let userCounter = 0;

/** Signs up and logs in a new user through the HTTP routes. */
export async function newUser(t: Pick<TestApp, 'inject'>, username = `user_${process.pid % 1000}_${++userCounter}`): Promise<TestUser> {
  const signUp = await t.inject({ method: 'POST', url: '/users/sign-up', payload: { username, password: testPassword } });
  if (signUp.statusCode !== 201) throw new Error(`sign-up failed: ${signUp.statusCode} ${signUp.body}`);
  const logIn = await t.inject({ method: 'POST', url: '/users/log-in', payload: { username, password: testPassword } });
  if (logIn.statusCode !== 200) throw new Error(`log-in failed: ${logIn.statusCode} ${logIn.body}`);
  const token = logIn.json().access_token as string;
  return { id: signUp.json().id, username, password: testPassword, token, headers: { authorization: `Bearer ${token}` } };
}

export function uniqueName(prefix = 'u'): string {
  return `${prefix}${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}
