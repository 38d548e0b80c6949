import type { Migration } from 'kysely';
import * as usersAndTodos from './2026-11-21-0001-users-and-todos.js';
import * as marketplace from './2026-11-21-0100-marketplace.js';
import * as usersCreatedAtIndex from './2026-11-22-0001-users-created-at-index.js';
import * as sessions from './2026-11-22-1101-sessions.js';
import * as auditEvents from './2026-11-22-1102-audit-events.js';
import * as secondFactor from './2026-11-22-1201-second-factor.js';
import * as importedRecords from './2026-11-22-1501-imported-records.js';

/**
 * Every migration, by name. Names sort by date, which is the order the Migrator runs them in. A static list
 * (rather than reading the folder) works the same from TypeScript sources and from a compiled build.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-21-0001-users-and-todos': usersAndTodos,
  '2026-11-21-0100-marketplace': marketplace,
  '2026-11-22-0001-users-created-at-index': usersCreatedAtIndex,
  '2026-11-22-1101-sessions': sessions,
  '2026-11-22-1102-audit-events': auditEvents,
  '2026-11-22-1201-second-factor': secondFactor,
  '2026-11-22-1501-imported-records': importedRecords,
};
