/** Moving in from the tutorial apps: `npm run cli -- import todo-app|fastapi-users`. */
export { importFastapiUsers } from './fastapi-users.import.js';
export type { ImportOptions, ImportSummary, SkippedRecord } from './import-run.js';
export { importTodoApp } from './todo-app.import.js';
