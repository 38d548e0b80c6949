/** The audit log: what other modules record into, and its routes. */
export { AuditRepository } from './audit.repository.js';
export { AuditLog, auditEventNames, type AuditEntry, type AuditEventName } from './audit.service.js';
export { auditRoutes } from './audit.routes.js';
