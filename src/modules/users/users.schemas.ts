import { Type } from 'typebox';

/** 4 to 20 letters, digits, underscores or hyphens: the same rule for the ToDo routes and the /api routes. */
export const Username = Type.String({ minLength: 4, maxLength: 20, pattern: '^[A-Za-z0-9_-]+$' });

/**
 * The password policy proper is configurable and checked in the service, with reasons a person understands;
 * the schema only bounds the size of what reaches the hasher.
 */
export const PasswordInput = Type.String({ minLength: 1, maxLength: 4096 });

export const Credentials = Type.Object({ username: Type.String({ maxLength: 320 }), password: PasswordInput });
export const SignUpBody = Type.Object({ username: Username, password: PasswordInput });
export const SignUpResponse = Type.Object({ id: Type.String({ format: 'uuid' }), username: Type.String() });
export const AccessTokenResponse = Type.Object({ access_token: Type.String() });

export const Detail = Type.Object({ detail: Type.Unknown() }, { description: 'An error, as FastAPI shapes it' });

/**
 * A user embedded in another user's view (a cleaning's owner): the public part only, so no signed-in user can
 * harvest addresses or account flags. `email` is there only when the viewer is that user or a superuser.
 */
export const UserSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String({ description: 'The username' }),
  email: Type.Optional(Type.String({ description: 'Only to the user themself and to superusers' })),
});

/** A user as they and superusers see themselves on the /api routes: never the password hash. `name` is the username. */
export const PublicUser = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  is_active: Type.Boolean(),
  is_superuser: Type.Boolean(),
  is_verified: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});
