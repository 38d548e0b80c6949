import { Type } from 'typebox';
import { HTTPError, HTTPValidationError } from '../../http/error-schemas.js';
import { AccountErrorCode } from './error-codes.js';

/**
 * RFC 6749 section 5.2: a token endpoint's error says `error` (a code from a fixed set) and `error_description`,
 * which OAuth2 clients, Swagger UI's Authorize dialog among them, show. `detail` stays for FastAPI Users' clients.
 */
const descriptions: Record<string, string> = {
  [AccountErrorCode.LOGIN_BAD_CREDENTIALS]: 'LOGIN_BAD_CREDENTIALS: wrong email, name or password, or the account is disabled.',
  [AccountErrorCode.LOGIN_USER_NOT_VERIFIED]:
    'LOGIN_USER_NOT_VERIFIED: confirm your email address first with the link we emailed (POST /api/auth/request-verify-token sends a new one).',
};

const oauthFields = {
  error: Type.Enum(['invalid_request', 'invalid_grant', 'unsupported_grant_type'], { description: 'RFC 6749, section 5.2' }),
  error_description: Type.String(),
};

export const TokenError = Type.Object({ ...HTTPError.properties, ...oauthFields }, { title: 'TokenError' });
export const TokenValidationError = Type.Object({ ...HTTPValidationError.properties, ...oauthFields }, { title: 'TokenValidationError' });

/** The OAuth2 fields added to a 400 or 422 answer of POST /api/token; other answers pass unchanged. */
export function withOAuthError(statusCode: number, payload: unknown): unknown {
  if (payload === null || typeof payload !== 'object' || !('detail' in payload)) return payload;
  const { detail } = payload as { detail: unknown };
  if (statusCode === 400) {
    const code = typeof detail === 'string' ? detail : 'LOGIN_BAD_CREDENTIALS';
    return { ...payload, error: 'invalid_grant', error_description: descriptions[code] ?? code };
  }
  if (statusCode === 422 && Array.isArray(detail)) {
    const issues = detail as { loc?: unknown[]; msg?: string }[];
    const grantType = issues.some((issue) => issue.loc?.includes('grant_type'));
    const described = issues.map((issue) => `${(issue.loc ?? []).slice(1).join('.')}: ${issue.msg ?? 'invalid'}`).join('; ');
    return { ...payload, error: grantType ? 'unsupported_grant_type' : 'invalid_request', error_description: described };
  }
  return payload;
}
