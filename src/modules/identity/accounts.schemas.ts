import { Type } from 'typebox';
import { NewPassword, PasswordInput, PublicUser, Username } from './users.schemas.js';
import { SecondFactorCode, stepUpFields } from './second-factor.schemas.js';

export const Email = Type.String({ format: 'email', maxLength: 320 });

/** The seed's body: the new user is embedded under `new_user` (FastAPI's `Body(..., embed=True)`). */
export const RegisterBody = Type.Object(
  { new_user: Type.Object({ email: Email, name: Username, password: NewPassword }, { title: 'UserCreate' }) },
  { title: 'RegisterBody', examples: [{ new_user: { email: 'alice@example.com', name: 'alice_01', password: 'correct-horse-9!' } }] },
);

/** OAuth2PasswordRequestForm: `username` is the email or the name. */
export const TokenForm = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 320 }),
  password: PasswordInput,
  grant_type: Type.Optional(Type.String({ pattern: '^password$' })),
  scope: Type.Optional(Type.String({ maxLength: 1024 })),
  client_id: Type.Optional(Type.String({ maxLength: 1024 })),
  client_secret: Type.Optional(Type.String({ maxLength: 1024 })),
  /** Spruce: put the refresh token in an HttpOnly cookie instead of the body (browsers). */
  refresh_cookie: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
}, { title: 'TokenForm' });

export const EmailBody = Type.Object({ email: Email }, { title: 'EmailBody', examples: [{ email: 'alice@example.com' }] });
export const OneTimeToken = Type.String({ minLength: 1, maxLength: 4096 });
export const VerifyBody = Type.Object({ token: OneTimeToken }, { title: 'VerifyBody' });
export const ResetPasswordBody = Type.Object({ token: OneTimeToken, password: NewPassword }, { title: 'ResetPasswordBody' });

/** Flags sent here are not in the schema and so never reach the service. */
export const UpdateMeBody = Type.Object({
  name: Type.Optional(Username),
  email: Type.Optional(Email),
  password: Type.Optional(NewPassword),
  current_password: Type.Optional(PasswordInput),
  code: Type.Optional(SecondFactorCode),
  login_notices: Type.Optional(Type.Boolean({ description: 'Mail me when my account logs in from a client it has not used before' })),
}, {
  title: 'UserUpdate',
  description: 'Fields to change. A new email or password needs `current_password`, and `code` when two-step verification is on.',
  examples: [{ name: 'alice_02' }, { password: 'another-horse-7?', current_password: 'correct-horse-9!' }],
});
export const DeleteMeBody = Type.Object(stepUpFields, { title: 'DeleteMeBody' });

export const AdminUpdateBody = Type.Object({
  name: Type.Optional(Username),
  email: Type.Optional(Email),
  password: Type.Optional(NewPassword),
  is_active: Type.Optional(Type.Boolean()),
  is_superuser: Type.Optional(Type.Boolean()),
  is_verified: Type.Optional(Type.Boolean()),
}, { title: 'AdminUserUpdate', examples: [{ is_active: false }] });

/** Any text: a malformed id is a 404 like a missing one, decided by the service. */
export const UserIdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

export const UserListQuery = Type.Object({
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Only accounts whose name or email contains this text, without regard to case (`%` and `_` match themselves)',
      examples: ['alice'],
    }),
  ),
});
export const UserPage = Type.Object({
  items: Type.Array(PublicUser),
  total: Type.Integer(),
  offset: Type.Integer(),
  limit: Type.Integer(),
}, { title: 'UserPage' });
