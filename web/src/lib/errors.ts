/** A 422 item as FastAPI shapes it. */
interface ValidationItem {
  loc: (string | number)[];
  msg: string;
  type?: string;
}

// The API's stable error codes, in words a person can act on. Anything else is shown as the API wrote it.
const codeMessages: Record<string, string> = {
  LOGIN_BAD_CREDENTIALS: 'Wrong email, name or password.',
  LOGIN_USER_NOT_VERIFIED: 'Confirm your email first: open the link we sent you, or ask for a new one below.',
  VERIFY_USER_BAD_TOKEN: 'This confirmation link is invalid or has expired. Ask for a new one.',
  VERIFY_USER_ALREADY_VERIFIED: 'This email is already confirmed. You can log in.',
  RESET_PASSWORD_BAD_TOKEN: 'This reset link is invalid or has expired. Ask for a new one.',
  RESET_PASSWORD_INVALID_PASSWORD: 'That password does not meet the rules.',
  UPDATE_USER_EMAIL_ALREADY_EXISTS: 'Another account uses that email.',
  UPDATE_USER_NAME_ALREADY_EXISTS: 'Another account uses that name.',
  UPDATE_USER_INVALID_PASSWORD: 'That password does not meet the rules.',
  UPDATE_USER_INVALID_CURRENT_PASSWORD: 'Your current password is wrong.',
  DELETE_USER_INVALID_CURRENT_PASSWORD: 'Your current password is wrong.',
  CHANGE_EMAIL_BAD_TOKEN: 'This link is invalid, has expired, or a newer change replaced it. Ask for the change again.',
  REFRESH_TOKEN_INVALID: 'Your session has ended. Log in again.',
  // The second factor and the step-up rule.
  LOGIN_MFA_REQUIRED: 'Enter the code from your authenticator app.',
  MFA_TOKEN_INVALID: 'This log-in has expired or had too many wrong codes. Log in again.',
  MFA_CODE_INVALID: 'That code is wrong or was already used.',
  MFA_ALREADY_ENABLED: 'Two-step verification is already on.',
  MFA_NOT_ENABLED: 'Two-step verification is off for this account.',
  MFA_ENROLMENT_NOT_STARTED: 'Start again: ask for a new QR code.',
  MFA_INVALID_CURRENT_PASSWORD: 'Your current password is wrong.',
  END_SESSIONS_INVALID_CURRENT_PASSWORD: 'Your current password is wrong.',
};

function codeOf(detail: unknown): string | null {
  if (typeof detail === 'string') return detail in codeMessages ? detail : null;
  const code = typeof detail === 'object' && detail !== null ? (detail as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : null;
}

function isValidationList(detail: unknown): detail is ValidationItem[] {
  return Array.isArray(detail) && detail.every((item) => typeof item === 'object' && item !== null && Array.isArray(item.loc) && typeof item.msg === 'string');
}

function describe(detail: unknown): string | null {
  if (typeof detail === 'string') return codeMessages[detail] ?? detail;
  if (typeof detail === 'object' && detail !== null && 'code' in detail) {
    const { code, reason } = detail as { code: unknown; reason?: unknown };
    const base = typeof code === 'string' ? (codeMessages[code] ?? code) : null;
    return typeof reason === 'string' ? `${base ?? ''} ${reason}`.trim() : base;
  }
  return null;
}

/**
 * What went wrong with an API call, ready to show: `message` for the form or page as a whole, and `fields` with
 * the 422 messages by field name (the last part of `loc`), to show beside their inputs.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, string> = {},
    /** The API's error code when it sent one (`LOGIN_USER_NOT_VERIFIED`), for pages that act on a particular one. */
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static from(status: number, body: unknown): ApiError {
    const detail = typeof body === 'object' && body !== null && 'detail' in body ? (body as { detail: unknown }).detail : undefined;
    if (status === 422 && isValidationList(detail)) {
      const fields: Record<string, string> = {};
      const loose: string[] = [];
      for (const item of detail) {
        const field = item.loc.length > 1 ? String(item.loc[item.loc.length - 1]) : null;
        if (field !== null && fields[field] === undefined) fields[field] = item.msg;
        else if (field === null) loose.push(item.msg);
      }
      return new ApiError(status, loose.length > 0 ? loose.join(' ') : 'Some fields need another look.', fields);
    }
    const described = describe(detail);
    if (described !== null) return new ApiError(status, described, {}, codeOf(detail));
    if (status === 429) return new ApiError(status, 'Too many attempts. Wait a little and try again.');
    if (status >= 500) return new ApiError(status, 'The service had a problem. Try again in a moment.');
    return new ApiError(status, `The request failed (HTTP ${status}).`);
  }

  static network(cause: unknown): ApiError {
    const error = new ApiError(0, 'Could not reach Spruce. Check your connection and try again.');
    error.cause = cause;
    return error;
  }
}

/** The message to show for any error a query or mutation threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong.';
}

/** The 422 message for one field, if the error has one. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fields[field] : undefined;
}
