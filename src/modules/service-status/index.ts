/** The service at a glance for superusers: GET /api/admin/status. */
export { serviceStatusRoutes } from './service-status.routes.js';
export { ServiceStatus, type ServiceStatusDeps, type ServiceStatusReport } from './service-status.service.js';
