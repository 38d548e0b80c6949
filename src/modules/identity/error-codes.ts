/**
 * The `detail` codes of the /api account routes, named and spelled as FastAPI Users names them so its clients
 * can keep matching on them. Codes Spruce adds follow the same ACTION_PROBLEM pattern.
 */
export const AccountErrorCode = {
  LOGIN_BAD_CREDENTIALS: 'LOGIN_BAD_CREDENTIALS',
  LOGIN_USER_NOT_VERIFIED: 'LOGIN_USER_NOT_VERIFIED',
  VERIFY_USER_BAD_TOKEN: 'VERIFY_USER_BAD_TOKEN',
  VERIFY_USER_ALREADY_VERIFIED: 'VERIFY_USER_ALREADY_VERIFIED',
  RESET_PASSWORD_BAD_TOKEN: 'RESET_PASSWORD_BAD_TOKEN',
  RESET_PASSWORD_INVALID_PASSWORD: 'RESET_PASSWORD_INVALID_PASSWORD',
  UPDATE_USER_EMAIL_ALREADY_EXISTS: 'UPDATE_USER_EMAIL_ALREADY_EXISTS',
  UPDATE_USER_INVALID_PASSWORD: 'UPDATE_USER_INVALID_PASSWORD',
  /** Spruce: the name (username) belongs to another account. */
  UPDATE_USER_NAME_ALREADY_EXISTS: 'UPDATE_USER_NAME_ALREADY_EXISTS',
  /** Spruce: changing the password needs the current one, and it was wrong. */
  UPDATE_USER_INVALID_CURRENT_PASSWORD: 'UPDATE_USER_INVALID_CURRENT_PASSWORD',
  /** Spruce: deleting one's own account needs the current password, and it was wrong. */
  DELETE_USER_INVALID_CURRENT_PASSWORD: 'DELETE_USER_INVALID_CURRENT_PASSWORD',
  /** Spruce: the email-change token is malformed, expired, used, superseded, or its account changed since. */
  CHANGE_EMAIL_BAD_TOKEN: 'CHANGE_EMAIL_BAD_TOKEN',
  /** Spruce: the password was right; finish the log-in at POST /api/auth/mfa with the `mfa_token` and a code. */
  LOGIN_MFA_REQUIRED: 'LOGIN_MFA_REQUIRED',
  /** Spruce: the mfa_token is unknown, expired, used, out of tries, or its account changed since. */
  MFA_TOKEN_INVALID: 'MFA_TOKEN_INVALID',
  /** Spruce: the TOTP or recovery code is wrong, or was already used. */
  MFA_CODE_INVALID: 'MFA_CODE_INVALID',
  /** Spruce: TOTP is already on (turn it off first to enrol a new device). */
  MFA_ALREADY_ENABLED: 'MFA_ALREADY_ENABLED',
  /** Spruce: TOTP is not on for this account. */
  MFA_NOT_ENABLED: 'MFA_NOT_ENABLED',
  /** Spruce: there is no enrolment waiting for its first code (POST /api/users/me/mfa/totp starts one). */
  MFA_ENROLMENT_NOT_STARTED: 'MFA_ENROLMENT_NOT_STARTED',
  /** Spruce: a second-factor change needs the current password, and it was wrong. */
  MFA_INVALID_CURRENT_PASSWORD: 'MFA_INVALID_CURRENT_PASSWORD',
  /** Spruce: ending every other session needs the current password, and it was wrong. */
  END_SESSIONS_INVALID_CURRENT_PASSWORD: 'END_SESSIONS_INVALID_CURRENT_PASSWORD',
} as const;

export type AccountErrorCode = (typeof AccountErrorCode)[keyof typeof AccountErrorCode];
