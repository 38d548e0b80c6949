/**
 * How an import names its source in Spruce's import records: the kind of app and where its database is,
 * without credentials. Importing the same database again finds its records; another database is another source.
 */
export function sourceName(app: string, url: string): string {
  const parsed = new URL(url);
  const port = parsed.port === '' ? '' : `:${parsed.port}`;
  return `${app} ${parsed.hostname}${port}${parsed.pathname}`.slice(0, 200);
}
