export { AccountPage } from './account-page';
export { ForgotPasswordPage } from './forgot-password-page';
export { LogInPage } from './log-in-page';
export { ResetPasswordPage } from './reset-password-page';
export { SignUpPage } from './sign-up-page';
export { VerifyEmailPage } from './verify-email-page';
