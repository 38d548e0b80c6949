import { describe, test, type TestOptions } from 'node:test';

/**
 * A describe() that a missing service can skip, counted as skipped. Node 20's runner prints a skipped describe
 * as "# SKIP" yet leaves it out of the summary's "# skipped" count; a skipped test is counted, so a skipped suite
 * is reported as one skipped test of the same name.
 */
export function suiteUnless(name: string, skip: string | false, options: TestOptions, body: () => void): void {
  if (skip !== false) test(name, { skip }, () => {});
  else describe(name, options, body);
}
