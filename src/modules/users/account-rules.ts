import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { Email } from '../accounts/accounts.schemas.js';
import { Username } from './users.schemas.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * The routes' own rules for a username and an email, from the same schemas, for input that arrives another
 * way (the command line, imports).
 */
const ajv = addFormats(new Ajv({ strict: false }));
const usernameCheck = ajv.compile(Username);
const emailCheck = ajv.compile(Email);

export const usernameRules = '4 to 20 letters, digits, "_" or "-"';

export function followsUsernameRules(name: string): boolean {
  return usernameCheck(name);
}

export function isEmailAddress(email: string): boolean {
  return emailCheck(email);
}
