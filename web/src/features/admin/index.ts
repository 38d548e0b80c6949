export { AuditPage } from './audit-page';
export { StatusPage } from './status-page';
export { UsersPage } from './users-page';
