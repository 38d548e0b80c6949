import { Type } from 'typebox';

/**
 * What a log-in or a refresh answers: today's fields, plus the refresh token (left out when it travels in the
 * HttpOnly cookie instead) and the access token's remaining lifetime.
 */
export const TokenPairResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('bearer'),
  refresh_token: Type.Optional(Type.String({ description: 'Absent when the log-in asked for the refresh cookie' })),
  expires_in: Type.Integer({ description: 'Seconds the access token has left' }),
});

export const RefreshBody = Type.Object({
  refresh_token: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
});

export const SessionView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  created_at: Type.String({ format: 'date-time' }),
  last_used_at: Type.String({ format: 'date-time' }),
  user_agent: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean({ description: 'Whether this is the session of the token making the request' }),
});
export const SessionList = Type.Array(SessionView);

export const SessionIdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
