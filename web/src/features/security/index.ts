export { ActivityPage } from './activity-page';
export { ConfirmEmailPage } from './confirm-email-page';
export { SecurityPage } from './security-page';
export { SessionsPage } from './sessions-page';
export { TwoStepPage } from './two-step-page';
