import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { closeContext, createContext } from '../app.js';
import type { Config } from '../config/config.js';
import { DomainError, InvalidInputError } from '../core/errors.js';
import { followsUsernameRules, isEmailAddress, usernameRules } from '../modules/identity/account-rules.js';
import { CommandError, createSuperuserUsage } from './command-error.js';
import { promptHidden } from './hidden-prompt.js';

async function readPassword(): Promise<string> {
  const fromEnv = process.env.SPRUCE_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) throw new CommandError('Set SPRUCE_PASSWORD, or run this on a terminal to be asked for the password.');
  const password = await promptHidden('Password: ');
  if ((await promptHidden('Password (again): ')) !== password) throw new CommandError('The two passwords differ.');
  return password;
}

/** Same rules for the email and the name as the registration route, from the same schemas. */
function checkInput(email: string, name: string): void {
  if (!isEmailAddress(email)) throw new CommandError(`"${email}" is not a valid email address.`);
  if (!followsUsernameRules(name)) throw new CommandError(`The name must be ${usernameRules}; got "${name}".`);
}

/** A domain error as a sentence for the person at the terminal. */
function describe(error: DomainError): string {
  if (error instanceof InvalidInputError) return error.issues.map((issue) => issue.msg).join('\n');
  return typeof error.detail === 'string' ? error.detail : JSON.stringify(error.detail);
}

export async function createSuperuser(config: Config, args: string[]): Promise<void> {
  let values: { email?: string; name?: string };
  try {
    ({ values } = parseArgs({ args, options: { email: { type: 'string' }, name: { type: 'string' } }, strict: true }));
  } catch (error) {
    throw new CommandError(`${(error as Error).message}\n\n${createSuperuserUsage}`);
  }
  if (values.email === undefined || values.name === undefined) throw new CommandError(createSuperuserUsage);
  checkInput(values.email, values.name);
  const password = await readPassword();

  const context = await createContext(config, pino({ level: config.logLevel }));
  try {
    // No request context: the audit log records the system as the actor.
    const user = await context.users.register({ email: values.email, name: values.name, password }, null, { isSuperuser: true, isVerified: true });
    console.log(`Created superuser ${user.username} <${user.email}> (${user.id}).`);
  } catch (error) {
    if (error instanceof DomainError) throw new CommandError(describe(error));
    throw error;
  } finally {
    await closeContext(context);
  }
}
