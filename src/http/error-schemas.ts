import { Type } from 'typebox';

/** One problem of a 422, named and shaped as FastAPI's (pydantic's) `ValidationError`. */
export const ValidationError = Type.Object(
  {
    loc: Type.Array(Type.Union([Type.String(), Type.Integer()]), { description: 'Where: "body", "query", "path" or "header", then the field path' }),
    msg: Type.String({ description: 'What is wrong, for a person' }),
    type: Type.String({ description: 'The kind of problem, e.g. missing, string_too_short, value_error' }),
  },
  { title: 'ValidationError' },
);

/** FastAPI's 422 body. */
export const HTTPValidationError = Type.Object({ detail: Type.Array(ValidationError) }, { title: 'HTTPValidationError' });

/** Every other error: a message or code, or, for a refused password on the /api routes, FastAPI Users' `{code, reason}`. */
export const HTTPError = Type.Object(
  {
    detail: Type.Union([
      Type.String(),
      Type.Object({ code: Type.String(), reason: Type.String() }, { title: 'ErrorCodeWithReason' }),
    ]),
  },
  { title: 'HTTPError', description: 'An error, as FastAPI shapes it' },
);
