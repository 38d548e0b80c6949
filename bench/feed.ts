/**
 * GET /api/feed/cleanings over 100,000 cleanings, the first page and a page 90,000 events deep, on Spruce and on
 * bare node:http running the same SQL (bench/baselines/bare-server.mjs), in alternating rounds:
 * `npx tsx bench/feed.ts [sqlite] [postgres]` (default both). Also prints the deep page's query plan; with
 * BENCH_PROFILE=1, where Spruce spent its time.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pageSize, prepare } from './lib/feed-data.js';
import { summarizeProfile } from './lib/profile-summary.js';
import { alternate, formatRatio, load, loadAverage, machine } from './lib/load.js';
import { rounds, seconds, startBare, startSpruce, temporaryDirectory, userWithTodos, withMigratedPostgresDatabase } from './lib/spruce.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const dialects = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['sqlite', 'postgres'];

async function compare(dialect: string, env: Record<string, string>, bareDatabase: string, dataDir: string): Promise<string[]> {
  const prepared = await prepare(env, dialect);
  // BENCH_PROFILE=1 runs Spruce under --cpu-prof and prints where its time went.
  const profileDir = path.join(dataDir, 'profile');
  const spruce = await startSpruce(env, dataDir, process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  const lines: string[] = [];
  try {
    const user = await userWithTodos(spruce.url, `bench_${randomBytes(3).toString('hex')}`, 0);
    const headers = { authorization: `Bearer ${user.token}` };
    const pages = [
      { label: 'first page', query: prepared.queries.first, path: prepared.paths.first },
      { label: 'page 90,000 events deep', query: prepared.queries.deep, path: prepared.paths.deep },
    ];
    for (const page of pages) {
      const bare = await startBare(bareDatabase, page.query.sql, [...page.query.parameters], null);
      try {
        const check = await fetch(`${spruce.url}${page.path}`, { headers });
        const body = (await check.json()) as unknown[];
        if (check.status !== 200 || body.length !== pageSize) throw new Error(`${page.label}: ${check.status} ${JSON.stringify(body).slice(0, 200)}`);
        const spruceTarget = { url: `${spruce.url}${page.path}`, connections, seconds, headers };
        const bareTarget = { url: `${bare.url}/`, connections, seconds };
        await load({ ...spruceTarget, seconds: 3 });
        await load({ ...bareTarget, seconds: 3 });
        console.log(`feed ${page.label} on ${dialect} (load average ${loadAverage()})`);
        const [s, b] = await alternate(
          [
            { name: 'spruce', options: spruceTarget, pid: spruce.pid },
            { name: 'bare', options: bareTarget, pid: bare.pid },
          ],
          rounds,
        );
        lines.push(formatRatio(`feed ${page.label}, ${dialect}, ${connections} conns`, s!, b!));
      } finally {
        await bare.stop();
      }
    }
  } finally {
    await spruce.stop();
  }
  if (process.env.BENCH_PROFILE) {
    for (const file of fs.readdirSync(profileDir)) console.log(summarizeProfile(path.join(profileDir, file)));
  }
  console.log(`\nquery plan of the deep page on ${dialect}:\n${prepared.plan.join('\n')}\n`);
  return lines;
}

const summary: string[] = [];
for (const dialect of dialects) {
  const dataDir = temporaryDirectory();
  try {
    if (dialect === 'sqlite') {
      summary.push(...(await compare('sqlite', { DATA_DIR: dataDir }, path.join(dataDir, 'spruce.db'), dataDir)));
    } else {
      summary.push(
        ...(await withMigratedPostgresDatabase((url) => compare('postgres', { DATA_DIR: dataDir, DATABASE_URL: url }, url, dataDir))),
      );
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
console.log(`\n${machine()}; ${rounds} rounds of ${seconds} s; load average now ${loadAverage()}`);
for (const line of summary) console.log(line);
