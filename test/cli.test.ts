import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { logIn } from './helpers/api-accounts.js';
import { spawnEntry } from './helpers/processes.js';
import { createTestApp, dialects, uniqueName, type TestApp } from './helpers/test-app.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real command line as a separate process, on the test app's database. */
function cli(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
  });
}

for (const dialect of dialects) {
  describe(`command line on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    test('migrate, then create-superuser: the account is active, verified and superuser, and logs in', async () => {
      const migrated = await cli(t.env, 'migrate');
      assert.equal(migrated.code, 0, migrated.stderr);
      assert.match(migrated.stdout, /up to date|Applied/);

      const name = uniqueName('root_');
      const email = `${name}@Example.com`;
      const created = await cli({ ...t.env, SPRUCE_PASSWORD: 'root-password-1' }, 'create-superuser', '--email', email, '--name', name);
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stdout, new RegExp(`Created superuser ${name}`));

      const res = await logIn(t, email.toLowerCase(), 'root-password-1');
      assert.equal(res.statusCode, 200, res.body);
      const headers = { authorization: `Bearer ${res.json().access_token}` };
      const me = (await t.inject({ method: 'GET', url: '/api/users/me', headers })).json();
      assert.deepEqual([me.is_active, me.is_verified, me.is_superuser, me.name], [true, true, true, name]);
      assert.equal((await t.inject({ method: 'GET', url: '/api/users', headers })).statusCode, 200);

      const [takenEmail, takenName] = await Promise.all([
        cli({ ...t.env, SPRUCE_PASSWORD: 'root-password-1' }, 'create-superuser', '--email', email.toUpperCase(), '--name', uniqueName('x')),
        cli({ ...t.env, SPRUCE_PASSWORD: 'root-password-1' }, 'create-superuser', '--email', `${uniqueName('y')}@example.com`, '--name', name.toUpperCase()),
      ]);
      assert.equal(takenEmail.code, 1);
      assert.match(takenEmail.stderr, /email is already taken/);
      assert.equal(takenName.code, 1);
      assert.match(takenName.stderr, /name is already taken/);
    });

    // Input checks do not depend on the database: run once, to keep the number of slow process starts down.
    test('create-superuser refuses a weak or common password, bad input and a missing password, with exit code 1', { skip: dialect !== 'sqlite' }, async () => {
      const name = uniqueName('weak');
      const email = `${name}@example.com`;
      const badArgs = [['--email', 'not-an-email', '--name', name], ['--email', email, '--name', 'ab'], ['--email', email, '--admin']];
      const [weak, common, noPassword, ...bad] = await Promise.all([
        cli({ ...t.env, SPRUCE_PASSWORD: 'short' }, 'create-superuser', '--email', email, '--name', name),
        cli({ ...t.env, SPRUCE_PASSWORD: 'Password123!' }, 'create-superuser', '--email', email, '--name', name),
        cli(t.env, 'create-superuser', '--email', email, '--name', name),
        ...badArgs.map((args) => cli({ ...t.env, SPRUCE_PASSWORD: 'root-password-1' }, 'create-superuser', ...args)),
      ]);
      assert.equal(weak?.code, 1);
      assert.match(weak?.stderr ?? '', /at least 10 characters/);
      // Keeps the rules yet is one of the first guesses: zxcvbn's reason, from its worker thread, and the process ends.
      assert.equal(common?.code, 1);
      assert.match(common?.stderr ?? '', /too easy to guess: This is similar to a commonly used password/);
      assert.equal(noPassword?.code, 1);
      assert.match(noPassword?.stderr ?? '', /SPRUCE_PASSWORD/);
      bad.forEach((run, index) => {
        assert.equal(run.code, 1, badArgs[index]?.join(' '));
        assert.ok(run.stderr.length > 0);
      });
      assert.equal(await t.app.context.usersRepository.findByEmail(email), null);
    });

    test('seed fills the database through the services; the printed credentials log in; a second run refuses and changes nothing', async () => {
      const seeded = await cli(t.env, 'seed');
      assert.equal(seeded.code, 0, seeded.stderr);
      const superuserPassword = /superuser\s+demo_admin\s+\(admin@demo\.example\)\s+password: (\S+)/.exec(seeded.stdout)?.[1];
      const userPassword = /password of each: (\S+)/.exec(seeded.stdout)?.[1];
      assert.ok(superuserPassword && userPassword, seeded.stdout);
      assert.match(seeded.stdout, /http:\/\/\S+\/docs/);

      const admin = await logIn(t, 'admin@demo.example', superuserPassword);
      assert.equal(admin.statusCode, 200, admin.body);
      const adminHeaders = { authorization: `Bearer ${admin.json().access_token}` };
      const everyone = (await t.inject({ method: 'GET', url: '/api/users?limit=100', headers: adminHeaders })).json();
      const demoNames = everyone.items.map((u: { name: string }) => u.name).filter((name: string) => name.startsWith('demo_'));
      assert.deepEqual(demoNames.sort(), ['demo_admin', 'demo_alice', 'demo_bob', 'demo_carol', 'demo_dave']);

      const alice = await t.inject({ method: 'POST', url: '/users/log-in', payload: { username: 'demo_alice', password: userPassword } });
      assert.equal(alice.statusCode, 200, alice.body);
      const headers = { authorization: `Bearer ${alice.json().access_token}` };
      assert.equal((await t.inject({ method: 'GET', url: '/todos', headers })).json().todos.length, 3);
      const mine = (await t.inject({ method: 'GET', url: '/api/cleanings', headers })).json() as { id: number; name: string }[];
      const statuses = new Set<string>();
      for (const cleaning of mine) {
        for (const offer of (await t.inject({ method: 'GET', url: `/api/cleanings/${cleaning.id}/offers`, headers })).json()) statuses.add(offer.status);
      }
      assert.deepEqual([...statuses].sort(), ['completed', 'pending', 'rejected']);
      const bob = await t.inject({ method: 'POST', url: '/users/log-in', payload: { username: 'demo_bob', password: userPassword } });
      const bobHeaders = { authorization: `Bearer ${bob.json().access_token}` };
      const garage = ((await t.inject({ method: 'GET', url: '/api/cleanings', headers: bobHeaders })).json() as { id: number }[])[0]!;
      const garageOffers = (await t.inject({ method: 'GET', url: `/api/cleanings/${garage.id}/offers`, headers: bobHeaders })).json();
      assert.deepEqual(garageOffers.map((o: { status: string }) => o.status).sort(), ['accepted', 'rejected']);
      const stats = (await t.inject({ method: 'GET', url: '/api/users/demo_bob/evaluations/stats', headers })).json();
      assert.equal(stats.total_evaluations, 2);
      assert.equal((await t.inject({ method: 'GET', url: '/api/feed/cleanings', headers })).json().length, 5);

      const again = await cli(t.env, 'seed');
      assert.equal(again.code, 1);
      assert.match(again.stderr, /^Already seeded: .*demo_admin exists.*Nothing was changed\./);
      assert.equal((await t.inject({ method: 'GET', url: '/api/users?limit=100', headers: adminHeaders })).json().total, everyone.total);
    });

    test('an unknown command prints the usage and exits 2', { skip: dialect !== 'sqlite' }, async () => {
      const run = await cli(t.env, 'make-coffee');
      assert.equal(run.code, 2);
      assert.match(run.stderr, /create-superuser/);
    });
  });
}

describe('--help', () => {
  test('every command answers --help with its usage on stdout and exit code 0', { timeout: 120_000 }, async () => {
    const commands: [string, string[], RegExp][] = [
      ['src/server.ts', ['--help'], /^Usage: npm start/],
      ['src/worker.ts', ['--help'], /^Usage: npm run worker/],
      ['src/cli.ts', ['--help'], /^Usage: npm run cli -- <command>/],
      ['src/cli.ts', ['migrate', '--help'], /^Usage: npm run migrate/],
      ['src/cli.ts', ['create-superuser', '--help'], /^Usage: npm run cli -- create-superuser/],
      ['src/cli.ts', ['import', '--help'], /^Usage: npm run cli -- import/],
      ['src/cli.ts', ['seed', '--help'], /^Usage: npm run seed/],
      ['scripts/write-openapi.ts', ['--help'], /^Usage: npm run openapi/],
      ['bench/run.ts', ['-h'], /^Usage: npm run bench/],
    ];
    const runs = await Promise.all(
      commands.map(([entry, args]) => {
        const spawned = spawnEntry(entry, args, {});
        return spawned.exited.then((code) => ({ code, output: spawned.output() }));
      }),
    );
    for (const [index, run] of runs.entries()) {
      const [entry, args, usage] = commands[index]!;
      assert.equal(run.code, 0, `${entry} ${args.join(' ')}: ${run.output}`);
      assert.match(run.output, usage, `${entry} ${args.join(' ')}`);
    }
  });
});
