/**
 * CI must prove the PostgreSQL, MySQL and Redis legs, not skip them: this fails loudly when a URL the tests were given
 * cannot be reached, instead of letting suites run on SQLite and memory alone.
 */
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';

const problems: string[] = [];

const databaseUrl = process.env.TEST_DATABASE_URL;
if (databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ version: string }>('select version()');
    console.log(`PostgreSQL reachable: ${rows[0]?.version.split(',')[0]}`);
  } catch (error) {
    problems.push(`TEST_DATABASE_URL=${databaseUrl} cannot be reached: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

const mysqlUrl = process.env.TEST_MYSQL_URL;
if (mysqlUrl) {
  try {
    const connection = await mysql.createConnection({ uri: mysqlUrl.replace(/^mariadb:/, 'mysql:'), connectTimeout: 5_000 });
    try {
      const [rows] = await connection.query<mysql.RowDataPacket[]>('select version() as version');
      console.log(`MySQL reachable: ${rows[0]?.version}`);
    } finally {
      await connection.end();
    }
  } catch (error) {
    problems.push(`TEST_MYSQL_URL=${mysqlUrl} cannot be reached: ${(error as Error).message}`);
  }
}

const redisUrl = process.env.TEST_REDIS_URL;
if (redisUrl) {
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 5_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    console.log(`Redis reachable: PING -> ${await redis.ping()}`);
  } catch (error) {
    problems.push(`TEST_REDIS_URL=${redisUrl} cannot be reached: ${(error as Error).message}`);
  } finally {
    redis.disconnect();
  }
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
