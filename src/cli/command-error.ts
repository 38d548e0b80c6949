/** A mistake of the person at the terminal: the message is for them, and the exit code is 1. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

export const createSuperuserUsage = `Usage: npm run cli -- create-superuser --email <email> --name <name>

The password is read from SPRUCE_PASSWORD, or asked for (twice, hidden) when run on a terminal.
The account is created active, verified and superuser.`;

export const seedUsage = `Usage: npm run seed   (or: npm run cli -- seed)

Fills the database (DATABASE_URL, or the SQLite file under DATA_DIR) with demo data through the services: a
superuser, four users with todos and profiles, cleaning jobs with offers (completed, accepted, rejected, pending)
and evaluations. Passwords are made for this run and printed with how to log in. Refuses a database that has
been seeded already, and NODE_ENV=production.`;

export const importUsage = `Usage: npm run cli -- import <todo-app|fastapi-users> --from <url> [--dry-run] [--batch-size <n>]

  todo-app        the ToDo tutorial's MySQL database (tables user and todo): --from mysql://user:pass@host:3306/db
  fastapi-users   the FastAPI Users tutorial's PostgreSQL database (table users): --from postgres://user:pass@host:5432/db

  --dry-run       read and check everything, print what would happen, write nothing
  --batch-size    records written per transaction (default 500); a failed batch is rolled back

Imports into the database of DATABASE_URL (SQLite by default). Records imported before are skipped, so running
the same command again is safe and resumes after a failure.`;
