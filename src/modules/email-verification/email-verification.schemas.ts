import { Type } from 'typebox';

export const EmailAddress = Type.String({ format: 'email', maxLength: 320 });

export const RequestCodeBody = Type.Object({ email: EmailAddress }, { title: 'RequestCodeBody', examples: [{ email: 'alice@example.com' }] });
export const RequestCodeResponse = Type.Object(
  {
    email: Type.String(),
    expires_in: Type.Integer({ description: 'Seconds until the emailed code expires' }),
  },
  { title: 'CodeSent' },
);

/** The tutorial sends `otp` as an int, which drops leading zeros: 42 means "000042". A 6-digit string also works. */
export const OneTimeCode = Type.Union([Type.Integer({ minimum: 0, maximum: 999_999 }), Type.String({ pattern: '^[0-9]{6}$' })]);

export const VerifyCodeBody = Type.Object(
  { email: EmailAddress, otp: OneTimeCode },
  { title: 'VerifyCodeBody', examples: [{ email: 'alice@example.com', otp: '042424' }] },
);
export const VerifiedUser = Type.Object({ id: Type.String({ format: 'uuid' }), username: Type.String() }, { title: 'VerifiedUser' });
