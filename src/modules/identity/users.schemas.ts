import { Type } from 'typebox';
import { HTTPError } from '../../http/error-schemas.js';

/** 4 to 20 letters, digits, underscores or hyphens: the same rule for the ToDo routes and the /api routes. */
export const Username = Type.String({ minLength: 4, maxLength: 20, pattern: '^[A-Za-z0-9_-]+$' });

/**
 * The password policy proper is configurable and checked in the service, with reasons a person understands;
 * the schema only bounds the size of what reaches the hasher.
 */
export const PasswordInput = Type.String({ minLength: 1, maxLength: 4096 });

/** A password being chosen: the OpenAPI document states the configured policy here (`x-password`, see http/openapi.ts). */
export const NewPassword = Type.String({ minLength: 1, maxLength: 4096, 'x-password': true });

export const Credentials = Type.Object(
  {
    username: Type.String({ maxLength: 320 }),
    password: PasswordInput,
    /** Put the refresh token in an HttpOnly cookie instead of the body (browsers). */
    refresh_cookie: Type.Optional(Type.Boolean()),
  },
  { title: 'Credentials', examples: [{ username: 'alice_01', password: 'correct-horse-9!' }] },
);
export const SignUpBody = Type.Object(
  { username: Username, password: NewPassword },
  { title: 'SignUp', examples: [{ username: 'alice_01', password: 'correct-horse-9!' }] },
);
export const SignUpResponse = Type.Object({ id: Type.String({ format: 'uuid' }), username: Type.String() }, { title: 'SignedUpUser' });

/** The error body of a route's responses; a 422 is documented and sent as FastAPI's HTTPValidationError (see http/openapi.ts). */
export const Detail = HTTPError;

/**
 * A user embedded in another user's view (a cleaning's owner): the public part only, so no signed-in user can
 * harvest addresses or account flags. `email` is there only when the viewer is that user or a superuser.
 */
export const UserSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String({ description: 'The username' }),
  email: Type.Optional(Type.String({ description: 'Only to the user themself and to superusers' })),
}, { title: 'UserSummary' });

/** A user as they and superusers see themselves on the /api routes: never the password hash. `name` is the username. */
export const PublicUser = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  is_active: Type.Boolean(),
  is_superuser: Type.Boolean(),
  is_verified: Type.Boolean(),
  mfa_enabled: Type.Boolean({ description: 'Whether a log-in needs a TOTP code (POST /api/users/me/mfa/totp turns it on)' }),
  login_notices: Type.Boolean({ description: 'Whether the owner is mailed when the account logs in from a client it has not used before' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
}, { title: 'UserRead' });
