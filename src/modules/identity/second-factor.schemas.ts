import { Type } from 'typebox';
import { PasswordInput } from './users.schemas.js';

/** A code typed by a person: six digits from the authenticator app, or a recovery code (`abcd-efgh-ijkl-mnop`). */
export const SecondFactorCode = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'A TOTP code (six digits) from the authenticator app, or one of the recovery codes',
});

/** The proof a sensitive change asks for: the current password, plus `code` when TOTP is on. */
export const stepUpFields = {
  current_password: PasswordInput,
  code: Type.Optional(SecondFactorCode),
};

export const CurrentPasswordBody = Type.Object(
  { current_password: PasswordInput },
  { title: 'CurrentPasswordBody', examples: [{ current_password: 'correct-horse-9!' }] },
);

export const StepUpBody = Type.Object(stepUpFields, {
  title: 'StepUpBody',
  description: 'The current password, and a code (TOTP or recovery) when two-step verification is on',
  examples: [{ current_password: 'correct-horse-9!', code: '123456' }],
});

export const SecondFactorProofBody = Type.Object(
  { current_password: PasswordInput, code: SecondFactorCode },
  { title: 'SecondFactorProofBody', examples: [{ current_password: 'correct-horse-9!', code: '123456' }] },
);

export const TotpConfirmBody = Type.Object({ code: SecondFactorCode }, { title: 'TotpConfirmBody', examples: [{ code: '123456' }] });

export const TotpEnrolment = Type.Object(
  {
    secret: Type.String({ description: 'The TOTP secret, base32, for apps that cannot scan the QR code' }),
    uri: Type.String({ description: 'The otpauth://totp/ URI naming the service and the account' }),
    qr_svg: Type.String({ description: 'The URI as a QR code: an SVG document' }),
  },
  {
    title: 'TotpEnrolment',
    examples: [
      {
        secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
        uri: 'otpauth://totp/Spruce:alice%40example.com?issuer=Spruce&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30',
        qr_svg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 45 45">…</svg>',
      },
    ],
  },
);

export const RecoveryCodes = Type.Object(
  { recovery_codes: Type.Array(Type.String(), { description: 'Ten single-use codes; shown this once, stored only as hashes' }) },
  { title: 'RecoveryCodes', examples: [{ recovery_codes: ['4qjm-wour-dpmy-kzah', 'z775-fd3s-duro-i4vl'] }] },
);

export const MfaLogInBody = Type.Object(
  {
    mfa_token: Type.String({ minLength: 1, maxLength: 128, description: 'From the 401 LOGIN_MFA_REQUIRED of the log-in' }),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 16, description: 'The six digits from the authenticator app' })),
    recovery_code: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'One of the recovery codes, instead of `code`' })),
    refresh_cookie: Type.Optional(Type.Boolean({ description: 'Put the refresh token in the HttpOnly cookie (also when the log-in asked for it)' })),
  },
  { title: 'MfaLogInBody', examples: [{ mfa_token: 'Zk3…', code: '123456' }, { mfa_token: 'Zk3…', recovery_code: '4qjm-wour-dpmy-kzah' }] },
);

/** A log-in's 401: the usual `detail`, and with LOGIN_MFA_REQUIRED the token that finishes it. */
export const LogInUnauthorized = Type.Object(
  {
    detail: Type.String(),
    mfa_token: Type.Optional(Type.String({ description: 'With LOGIN_MFA_REQUIRED: send it with a code to POST /api/auth/mfa within MFA_TOKEN_TTL_SECONDS (default 5 minutes)' })),
  },
  { title: 'LogInUnauthorized', examples: [{ detail: 'LOGIN_MFA_REQUIRED', mfa_token: 'Zk3…' }, { detail: 'Not Authorized' }] },
);

export const TargetUserParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
