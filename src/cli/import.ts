import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { Config } from '../config/config.js';
import { migrateToLatest, pendingMigrations } from '../db/migrator.js';
import { createDatabase } from '../infra/database.js';
import { importFastapiUsers, importTodoApp, type ImportOptions, type ImportSummary } from '../modules/imports/index.js';
import { CommandError, importUsage } from './command-error.js';

const apps = {
  'todo-app': { run: importTodoApp, protocols: ['mysql:', 'mariadb:'] },
  'fastapi-users': { run: importFastapiUsers, protocols: ['postgres:', 'postgresql:'] },
} as const;

function parse(args: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { from: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, 'batch-size': { type: 'string', default: '500' } },
      strict: true,
    });
  } catch (error) {
    throw new CommandError(`${(error as Error).message}\n\n${importUsage}`);
  }
  const [appName, ...extra] = parsed.positionals;
  if (appName === undefined || !(appName in apps) || extra.length > 0 || parsed.values.from === undefined) throw new CommandError(importUsage);
  const app = apps[appName as keyof typeof apps];
  let protocol: string;
  try {
    protocol = new URL(parsed.values.from).protocol;
  } catch {
    throw new CommandError(`--from is not a URL: ${parsed.values.from}`);
  }
  if (!(app.protocols as readonly string[]).includes(protocol)) throw new CommandError(`${appName} imports from ${app.protocols.map((p) => `${p}//…`).join(' or ')}`);
  const batchSize = Number(parsed.values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new CommandError('--batch-size must be a whole number from 1 to 10000');
  return { appName, app, from: parsed.values.from, dryRun: parsed.values['dry-run'], batchSize };
}

/** Plain text, one reason per line; the same report whether or not a terminal shows it. */
export function formatSummary(summary: ImportSummary, command: string): string {
  const lines = [`Import from ${summary.source}${summary.dryRun ? ' (dry run: nothing was written)' : ''}`];
  const verb = summary.dryRun ? 'would import' : 'imported';
  for (const kind of ['user', 'todo'] as const) {
    const skipped = summary.skipped.filter((record) => record.kind === kind).length;
    const total = summary.imported[kind] + summary.alreadyImported[kind] + skipped;
    if (total === 0 && kind === 'todo') continue;
    lines.push(`  ${kind}s: ${verb} ${summary.imported[kind]}, already imported ${summary.alreadyImported[kind]}, skipped ${skipped}`);
  }
  if (summary.skipped.length > 0) {
    lines.push('Skipped:');
    for (const record of summary.skipped) lines.push(`  ${record.kind} ${record.sourceId}: ${record.reason}`);
  }
  if (summary.failed === null) {
    lines.push('Failed: none');
  } else {
    const { kind, firstSourceId, lastSourceId, size, error } = summary.failed;
    lines.push(
      `Failed: the batch of ${size} ${kind}s with source ids ${firstSourceId} to ${lastSourceId} was rolled back: ${error}`,
      `Nothing of that batch was written, and the import stopped there. Fix the cause and run the same command again`,
      `to resume; what was imported before is skipped:`,
      `  ${command}`,
    );
  }
  return lines.join('\n');
}

export async function runImport(config: Config, args: string[], output: { isTTY: boolean; write: (text: string) => void } = terminalOutput()): Promise<ImportSummary> {
  const { appName, app, from, dryRun, batchSize } = parse(args);
  const database = createDatabase(config);
  const bar = output.isTTY ? new cliProgress.SingleBar({ format: ' {bar} {percentage}% | {value}/{total} records', hideCursor: true }, cliProgress.Presets.shades_classic) : null;
  try {
    if (config.migrateOnStart) await migrateToLatest(database.db);
    else if ((await pendingMigrations(database.db)).length > 0) throw new CommandError('The Spruce database has pending migrations: run `npm run migrate` first.');
    const options: ImportOptions = { dryRun, batchSize, onProgress: (handled) => bar?.increment(handled) };
    const summary = await app.run(database.db, from, options, (total) => bar?.start(total, 0));
    bar?.stop();
    const command = `npm run cli -- import ${appName} --from '${redact(from)}'${batchSize === 500 ? '' : ` --batch-size ${batchSize}`}`;
    output.write(`${formatSummary(summary, command)}\n`);
    return summary;
  } finally {
    bar?.stop();
    await database.close();
  }
}

function terminalOutput() {
  return { isTTY: process.stderr.isTTY === true, write: (text: string) => void process.stdout.write(text) };
}

/** The resume hint repeats the source URL without its password. */
function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '…';
  return parsed.toString();
}
