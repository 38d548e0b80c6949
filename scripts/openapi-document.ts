import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';

/** Where the committed copy of the document lives, for readers and SDK generators that do not run the server. */
export const committedDocumentPath = path.join(import.meta.dirname, '..', 'docs', 'openapi.json');

/**
 * The OpenAPI document of a server with default settings, whatever the environment or `.env` of the machine
 * says, so the committed copy only changes when the API does. `env` overrides settings (tests use it).
 */
export async function buildOpenApiDocument(env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spruce-openapi-'));
  try {
    const app = await buildApp(
      loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, SECRET_KEY: randomBytes(32).toString('hex'), ...env }),
    );
    try {
      return app.swagger() as unknown as Record<string, unknown>;
    } finally {
      await app.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatDocument(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
