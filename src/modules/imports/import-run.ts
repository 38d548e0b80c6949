import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { ImportsRepository, type RecordKind } from './imports.repository.js';

export interface ImportOptions {
  dryRun: boolean;
  /** Records read, decided and written together; a failure rolls back exactly one batch. */
  batchSize: number;
  /** Called with the number of source records just handled (the CLI's progress bar). */
  onProgress?: (handled: number) => void;
}

export interface SkippedRecord {
  kind: RecordKind;
  sourceId: string;
  reason: string;
}

export interface FailedBatch {
  kind: RecordKind;
  firstSourceId: string;
  lastSourceId: string;
  size: number;
  error: string;
}

export interface ImportSummary {
  source: string;
  dryRun: boolean;
  /** Imported in this run (with --dry-run: would be). */
  imported: Record<RecordKind, number>;
  /** Imported by an earlier run, so left alone. */
  alreadyImported: Record<RecordKind, number>;
  skipped: SkippedRecord[];
  /** The batch that failed and was rolled back; the run stops there. */
  failed: FailedBatch | null;
}

/** One record to bring in: `write` makes the Spruce row(s) and answers the new row's id. */
export interface PlannedWrite {
  sourceId: string;
  write: (trx: Kysely<Database>, repository: ImportsRepository) => Promise<string>;
}

/**
 * The bookkeeping every import shares: which records earlier runs imported, what this run imported or skipped
 * and why, and writing each batch in one transaction together with its import records, so a batch is either
 * entirely in (and never imported again) or entirely out.
 */
export class ImportRun {
  readonly repository: ImportsRepository;
  readonly summary: ImportSummary;
  /** Source id → Spruce id of every record of this source known to be in Spruce (or, dry, that would be). */
  private readonly known: Record<RecordKind, Map<string, string>> = { user: new Map(), todo: new Map() };

  constructor(
    db: Kysely<Database>,
    readonly source: string,
    readonly options: ImportOptions,
  ) {
    this.repository = new ImportsRepository(db);
    this.summary = { source, dryRun: options.dryRun, imported: { user: 0, todo: 0 }, alreadyImported: { user: 0, todo: 0 }, skipped: [], failed: null };
  }

  get stopped(): boolean {
    return this.summary.failed !== null;
  }

  /** The Spruce id a source record became, in this run or an earlier one. */
  targetOf(kind: RecordKind, sourceId: string): string | undefined {
    return this.known[kind].get(sourceId);
  }

  /** Loads what earlier runs imported of these records (for `targetOf`). */
  async load(kind: RecordKind, sourceIds: string[]): Promise<Map<string, string>> {
    const unknown = sourceIds.filter((id) => !this.known[kind].has(id));
    const imported = await this.repository.importedIds(this.source, kind, unknown);
    for (const [sourceId, targetId] of imported) this.known[kind].set(sourceId, targetId);
    return imported;
  }

  /** Counts the records of a batch that earlier runs imported; returns the ids still to decide about. */
  async notYetImported(kind: RecordKind, sourceIds: string[]): Promise<Set<string>> {
    const imported = await this.load(kind, sourceIds);
    this.summary.alreadyImported[kind] += imported.size;
    return new Set(sourceIds.filter((id) => !imported.has(id)));
  }

  skip(kind: RecordKind, sourceId: string, reason: string): void {
    this.summary.skipped.push({ kind, sourceId, reason });
  }

  /**
   * Writes one batch in one transaction (nothing, with --dry-run). On failure the transaction rolls back, the
   * batch is reported, and the run stops: a rerun of the same command starts again at this batch.
   */
  async apply(kind: RecordKind, sourceIds: string[], writes: PlannedWrite[]): Promise<void> {
    if (writes.length > 0) {
      if (this.options.dryRun) {
        for (const planned of writes) this.known[kind].set(planned.sourceId, `(dry run) ${planned.sourceId}`);
      } else {
        try {
          const done = await this.repository.transaction(async (trx) => {
            const records: { sourceId: string; targetId: string }[] = [];
            for (const planned of writes) records.push({ sourceId: planned.sourceId, targetId: await planned.write(trx, this.repository) });
            await this.repository.recordImported(trx, this.source, kind, records);
            return records;
          });
          for (const record of done) this.known[kind].set(record.sourceId, record.targetId);
        } catch (error) {
          this.summary.failed = {
            kind,
            firstSourceId: sourceIds[0] as string,
            lastSourceId: sourceIds[sourceIds.length - 1] as string,
            size: sourceIds.length,
            error: (error as Error).message,
          };
          return;
        }
      }
      this.summary.imported[kind] += writes.length;
    }
    this.options.onProgress?.(sourceIds.length);
  }
}
