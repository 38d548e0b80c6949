import { describe, expect, test } from 'vitest';
import { ApiError, fieldError } from './errors';

describe('ApiError.from', () => {
  test('422: each field message goes to its field (the last part of loc); the form gets a summary', () => {
    const error = ApiError.from(422, {
      detail: [
        { loc: ['body', 'new_user', 'email'], msg: 'value is not a valid email address', type: 'value_error' },
        { loc: ['body', 'new_user', 'name'], msg: 'String should have at least 4 characters', type: 'string_too_short' },
      ],
    });
    expect(error.status).toBe(422);
    expect(fieldError(error, 'email')).toBe('value is not a valid email address');
    expect(fieldError(error, 'name')).toBe('String should have at least 4 characters');
    expect(fieldError(error, 'password')).toBeUndefined();
    expect(error.message).toBe('Some fields need another look.');
  });

  test('a 422 about the body as a whole is the form\'s message', () => {
    const error = ApiError.from(422, { detail: [{ loc: ['body'], msg: 'Field required', type: 'missing' }] });
    expect(error.message).toBe('Field required');
    expect(error.fields).toEqual({});
  });

  test('detail codes read as sentences; other details are shown as the API wrote them', () => {
    expect(ApiError.from(400, { detail: 'LOGIN_BAD_CREDENTIALS' }).message).toBe('Wrong email, name or password.');
    expect(ApiError.from(400, { detail: 'LOGIN_USER_NOT_VERIFIED' }).code).toBe('LOGIN_USER_NOT_VERIFIED');
    expect(ApiError.from(404, { detail: 'Cleaning not found' }).code).toBeNull();
    expect(ApiError.from(400, { detail: { code: 'RESET_PASSWORD_INVALID_PASSWORD', reason: 'Password must be at least 10 characters' } }).message).toBe(
      'That password does not meet the rules. Password must be at least 10 characters',
    );
    expect(ApiError.from(404, { detail: 'Cleaning not found' }).message).toBe('Cleaning not found');
  });

  test('without a detail: a sentence by status', () => {
    expect(ApiError.from(429, {}).message).toMatch(/Too many attempts/);
    expect(ApiError.from(502, undefined).message).toMatch(/had a problem/);
    expect(ApiError.network(new TypeError('fetch failed')).status).toBe(0);
  });
});
