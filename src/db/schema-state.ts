import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { databaseUnreachable } from '../config/startup-errors.js';
import type { Config } from '../config/config.js';
import { pendingMigrations } from './migrator.js';

/**
 * Whether the database schema is the one this code needs, for a process that does not migrate on start
 * (PostgreSQL in production, where `npm run migrate` is its own deploy step).
 *
 * With migrations pending the API answers 503 "migrations pending" on /ready and on every request instead of
 * refusing to start. A deploy starts the API and the migrate step side by side (compose.yaml; a rolling update
 * does the same): a process that refused to start would crash-loop and, under an orchestrator's restart
 * back-off, stay down for minutes after the migration lands, while this one stays out of the load balancer
 * through /ready and serves by itself a few seconds after it. Either way no request ever meets a missing table
 * as a 500.
 */
export class SchemaState {
  private pending: string[] | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Kysely<any>,
    private readonly config: Pick<Config, 'databaseUrl'>,
    private readonly log: FastifyBaseLogger,
    private readonly recheckMs = 3_000,
  ) {}

  /** False only while migrations are known to be pending; an unreachable database is the database check's business. */
  get ready(): boolean {
    return this.pending === null || this.pending.length === 0;
  }

  get pendingNames(): readonly string[] {
    return this.pending ?? [];
  }

  /** Checks once (so the first request already knows), then again every few seconds until nothing is pending. */
  async start(): Promise<void> {
    await this.check(true);
    if (!this.ready || this.pending === null) this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      void this.check(false).then(() => {
        if (!this.ready || this.pending === null) this.schedule();
      });
    }, this.recheckMs);
    this.timer.unref();
  }

  private async check(first: boolean): Promise<void> {
    const wasPending = this.pending;
    try {
      this.pending = await pendingMigrations(this.db);
    } catch (error) {
      if (first) this.log.warn(databaseUnreachable(this.config, error, 'at start') + ' Requests that need it answer 503 until it does.');
      return;
    }
    if (this.pending.length > 0 && (first || wasPending === null)) {
      this.log.warn(
        `${this.pending.length} database migration(s) pending (${this.pending.join(', ')}): run \`npm run migrate\`. Until then /ready and every request answer 503.`,
      );
    } else if (this.pending.length === 0 && wasPending !== null && wasPending.length > 0) {
      this.log.info('database migrations applied; serving requests');
    }
  }
}
