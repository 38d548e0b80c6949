/** A mistake of the person at the terminal: the message is for them, and the exit code is 1. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

export const createSuperuserUsage = `Usage: npm run cli -- create-superuser --email <email> --name <name>

The password is read from SPRUCE_PASSWORD, or asked for (twice, hidden) when run on a terminal.
The account is created active, verified and superuser.`;
