/** `npm run openapi`: writes docs/openapi.json from the routes (test/openapi.test.ts fails while it is stale). */
import fs from 'node:fs';
import { buildOpenApiDocument, committedDocumentPath, formatDocument } from './openapi-document.js';

if (process.argv.includes('--help')) {
  console.log('Usage: npm run openapi\n\nWrites the OpenAPI document of the API, with default settings, to docs/openapi.json.');
  process.exit(0);
}
fs.writeFileSync(committedDocumentPath, formatDocument(await buildOpenApiDocument()));
console.log(`Wrote ${committedDocumentPath}`);
