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
}, {
  // The name FastAPI Users' bearer answer has; Spruce adds the session's fields.
  title: 'BearerResponse',
  examples: [{ access_token: 'eyJhbGciOiJIUzI1NiJ9.…', token_type: 'bearer', refresh_token: 'q3Jt…', expires_in: 900 }],
});

export const RefreshBody = Type.Object(
  { refresh_token: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })) },
  { title: 'RefreshRequest', examples: [{ refresh_token: 'q3Jt…' }] },
);

export const SessionView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  created_at: Type.String({ format: 'date-time' }),
  last_used_at: Type.String({ format: 'date-time' }),
  user_agent: Type.Union([Type.String(), Type.Null()]),
  client: Type.String({ description: 'The user agent in a few words ("Firefox on Linux"); "Unknown client" without one' }),
  ip: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean({ description: 'Whether this is the session of the token making the request' }),
}, {
  title: 'Session',
  examples: [{ id: '3f0c…', created_at: '2026-11-22T05:00:00.000Z', last_used_at: '2026-11-22T06:00:00.000Z', user_agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0', client: 'Firefox on Linux', ip: '203.0.113.9', current: true }],
});
export const SessionList = Type.Array(SessionView, { title: 'SessionList' });

export const SessionIdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
