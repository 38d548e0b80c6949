import { randomBytes, randomInt } from 'node:crypto';
import path from 'node:path';
import { pino } from 'pino';
import { closeContext, createContext, type AppContext } from '../app.js';
import type { Config } from '../config/config.js';
import { redactUrl } from '../config/startup-errors.js';
import type { Principal } from '../core/principal.js';
import { CommandError } from './command-error.js';

const superuserName = 'demo_admin';
const userNames = ['demo_alice', 'demo_bob', 'demo_carol', 'demo_dave'] as const;
type DemoName = (typeof userNames)[number];
const emailOf = (name: string) => `${name.replace('demo_', '')}@demo.example`;

/**
 * A password made for this run: 16 random characters between a word and two digits, so it meets the password
 * rules (a letter, a digit, another character) and is strong by any estimate, and no demo account anywhere
 * shares it. It is printed once and kept nowhere.
 */
function demoPassword(): string {
  return `Demo-${randomBytes(12).toString('base64url')}-${randomInt(10, 100)}`;
}

function where(config: Config): string {
  return config.databaseUrl === null ? `the SQLite file ${path.resolve(config.sqlitePath)}` : `DATABASE_URL=${redactUrl(config.databaseUrl)}`;
}

/**
 * `npm run seed`: demo accounts, todos, cleaning jobs, offers in every state and evaluations, made through the
 * services, so the password rules, hashing, profiles and the audit log apply as for any account. It refuses a
 * database that has them already, and production.
 */
export async function seed(config: Config): Promise<void> {
  if (config.env === 'production') throw new CommandError('npm run seed makes demo accounts with printed passwords; it does not run with NODE_ENV=production.');
  const context = await createContext(config, pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }));
  try {
    if ((await context.usersRepository.findByUsername(superuserName)) !== null) {
      throw new CommandError(
        `Already seeded: ${where(config)} has the demo accounts (${superuserName} exists). Nothing was changed.\n` +
          'To seed again, use an empty database (for the embedded one: stop the server and delete the SQLite file).',
      );
    }
    const passwords = { superuser: demoPassword(), users: demoPassword() };
    const { principals } = await createAccounts(context, passwords);
    await fillMarketplace(context, principals);
    printLogIn(config, passwords);
  } finally {
    await closeContext(context);
  }
}

async function createAccounts(context: AppContext, passwords: { superuser: string; users: string }) {
  const { users } = context;
  // No request context (null): the audit log records the system as the actor.
  await users.register({ email: emailOf(superuserName), name: superuserName, password: passwords.superuser }, null, { isSuperuser: true, isVerified: true });
  const principals = {} as Record<DemoName, Principal>;
  for (const name of userNames) {
    const user = await users.register({ email: emailOf(name), name, password: passwords.users }, null, { isVerified: true });
    principals[name] = (await users.findPrincipal(user.id)) as Principal;
  }
  const todos: Record<DemoName, [string, boolean][]> = {
    demo_alice: [['Buy cleaning supplies', true], ['Book a window cleaner', false], ['Water the plants', false]],
    demo_bob: [['Service the vacuum', false], ['Answer the Spring clean offer', true]],
    demo_carol: [['Pack for the move', false], ['Return the flat keys', false]],
    demo_dave: [['Renew the van insurance', false]],
  };
  for (const name of userNames) {
    for (const [content, done] of todos[name]) await context.todos.create(principals[name].id, content, done);
  }
  const bios: Record<DemoName, string> = {
    demo_alice: 'Busy flat owner; posts a job now and then.',
    demo_bob: 'Professional cleaner, ten years of spring cleans.',
    demo_carol: 'Moving out soon; cleans on weekends.',
    demo_dave: 'Windows and garages, with his own van.',
  };
  for (const name of userNames) {
    const fullName = name.replace('demo_', '').replace(/^./, (c) => c.toUpperCase()) + ' Demo';
    await context.profiles.updateMine(principals[name], { full_name: fullName, bio: bios[name] });
  }
  return { principals };
}

/** Jobs whose offers end up in every state: completed (and rated), accepted, rejected and pending. */
async function fillMarketplace(context: AppContext, p: Record<DemoName, Principal>): Promise<void> {
  const { cleanings, offers, evaluations } = context;
  const post = (owner: DemoName, name: string, price: number, type: 'dust_up' | 'spot_clean' | 'full_clean', description: string) =>
    cleanings.create(p[owner].id, { name, price, cleaning_type: type, description });
  const offerOn = async (cleaningId: number, ...makers: DemoName[]) => {
    for (const maker of makers) await offers.create(p[maker], cleaningId);
  };

  // Alice's spring clean: three offers; Bob's is accepted (the others rejected), done, and rated.
  const spring = await post('demo_alice', 'Spring clean of a two-room flat', 120, 'full_clean', 'Kitchen, bathroom and two rooms; supplies provided.');
  await offerOn(spring.id, 'demo_bob', 'demo_carol', 'demo_dave');
  await offers.accept(p.demo_alice, spring.id, 'demo_bob');
  await evaluations.create(p.demo_alice, 'demo_bob', spring.id, {
    professionalism: 5, completeness: 4, efficiency: 5, overall_rating: 5, headline: 'Spotless', comment: 'On time and thorough.',
  });
  // Alice's windows: two offers, still pending.
  const windows = await post('demo_alice', 'Windows only', 35.5, 'spot_clean', 'Six windows, inside and out.');
  await offerOn(windows.id, 'demo_carol', 'demo_dave');
  // Bob's garage: Dave's offer accepted, Carol's rejected; not done yet.
  const garage = await post('demo_bob', 'Garage sweep', 40, 'dust_up', 'Sweep and dust; no car inside.');
  await offerOn(garage.id, 'demo_carol', 'demo_dave');
  await offers.accept(p.demo_bob, garage.id, 'demo_dave');
  // Carol's move-out clean: Bob's offer accepted, done, and rated.
  const moveOut = await post('demo_carol', 'Move-out clean', 180, 'full_clean', 'Empty flat; the deposit depends on it.');
  await offerOn(moveOut.id, 'demo_bob');
  await offers.accept(p.demo_carol, moveOut.id, 'demo_bob');
  await evaluations.create(p.demo_carol, 'demo_bob', moveOut.id, {
    professionalism: 4, completeness: 5, efficiency: 3, overall_rating: 4, headline: 'Deposit back in full', comment: 'Took a while, but worth it.',
  });
  // Dave's van: no offers yet.
  await post('demo_dave', 'Van interior', 25, 'spot_clean', 'Seats and floor mats.');
}

function printLogIn(config: Config, passwords: { superuser: string; users: string }): void {
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  console.log(`Seeded ${where(config)}:
  a superuser, 4 users with todos and profiles, 5 cleaning jobs with offers (completed, accepted, rejected, pending) and 2 evaluations.

  superuser  ${superuserName}  (${emailOf(superuserName)})  password: ${passwords.superuser}
  users      ${userNames.join(', ')}  (${userNames.map(emailOf).join(', ')})
             password of each: ${passwords.users}

These passwords are shown only now. Start the server (npm start), then log in:
  web app   ${url}/app/   with a name or an email above
  Swagger   ${url}/docs   Authorize with an email (e.g. ${emailOf('demo_alice')}) and its password
  curl      curl -s ${url}/users/log-in -H 'Content-Type: application/json' -d '{"username":"demo_alice","password":"${passwords.users}"}'`);
}
