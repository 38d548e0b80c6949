import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { responseSerializer } from './response-projection.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** The Ajv keyword our own check reports, so the error mapping can word it. */
export const nulCharacterKeyword = 'noNulCharacter';

function createAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({
    coerceTypes: coerceTypes ? 'array' : false,
    useDefaults: true,
    removeAdditional: true,
    allErrors: false,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

/**
 * JSON bodies are checked strictly (a string is not a boolean), as pydantic does for JSON; path, query and
 * header values arrive as text, so those are coerced to the declared types.
 *
 * Each schema is compiled on its first use rather than when its route is added (here and in `serializers`):
 * compiling every route's validators and serialisers, most of them for error shapes rarely sent, was about a
 * third of the CPU time from start to the first answer. A schema that does not compile then fails at that
 * route's first request, which the tests reach for every route.
 */
export function registerValidation(app: FastifyInstance): void {
  let ajvs: { strict: Ajv; coercing: Ajv } | null = null;
  app.setValidatorCompiler(({ schema, httpPart }) =>
    validatedOnFirstUse(() => {
      ajvs ??= { strict: createAjv(false), coercing: createAjv(true) };
      const validate = (httpPart === 'body' ? ajvs.strict : ajvs.coercing).compile(schema);
      // Headers cannot carry a NUL (Node's HTTP parser refuses it), so only client-chosen data is scanned.
      return httpPart === 'headers' ? validate : refusingNulCharacters(validate);
    }),
  );
}

/**
 * Fastify's `schemaController` option: response bodies projected onto their schema and written by JSON.stringify
 * where the schema allows, else by Fastify's own fast-json-stringify serialiser compiler, with the schemas and
 * options Fastify gives it (see responseSerializer); each response schema compiled when a reply first uses it.
 * `crossCheck` (the test suites) compares every projected body with fast-json-stringify's.
 */
export function serializers(crossCheck: boolean): NonNullable<FastifyServerOptions['schemaController']> {
  return {
    compilersFactory: {
      buildSerializer: (externalSchemas, options) => {
        const compile = SerializerSelector()(externalSchemas, options);
        return (route) => {
          let serialize: ((data: unknown) => string) | null = null;
          return (data: unknown) => (serialize ??= responseSerializer(route.schema, () => compile(route), crossCheck))(data);
        };
      },
    },
  };
}

/**
 * A validator that compiles on its first call. Fastify reads `schemaEnv` (to let Ajv replace a coerced root
 * value) and `errors` from the function it was given, so both are passed through from the compiled one.
 */
function validatedOnFirstUse(compile: () => ValidateFunction): ValidateFunction {
  let compiled: ValidateFunction | null = null;
  const validator = () => (compiled ??= compile());
  const lazy = ((data: unknown, context?: Parameters<ValidateFunction>[1]) => {
    const validate = validator();
    const valid = validate(data, context);
    lazy.errors = validate.errors ?? null;
    return valid;
  }) as ValidateFunction;
  Object.defineProperty(lazy, 'schemaEnv', { get: () => validator().schemaEnv });
  Object.defineProperty(lazy, 'schema', { get: () => validator().schema });
  return lazy;
}

/**
 * PostgreSQL cannot store U+0000 in text and fails the whole query, while SQLite stores it: either way it is
 * never meant. Every string a schema lets through is checked here, once for every route and field, so each
 * database answers the same 422 before any query runs.
 */
function refusingNulCharacters(validate: ValidateFunction): ValidateFunction {
  const checked = ((data: unknown, context?: Parameters<ValidateFunction>[1]) => {
    const valid = validate(data, context);
    checked.errors = validate.errors ?? null;
    if (!valid) return false;
    const path = findNulCharacter(data);
    if (path === null) return true;
    checked.errors = [
      { keyword: nulCharacterKeyword, instancePath: path, schemaPath: '#', params: {}, message: 'String should not contain the NUL character' },
    ] satisfies ErrorObject[];
    return false;
  }) as ValidateFunction;
  // Fastify lets Ajv replace a coerced root value only when the validator exposes its schema environment.
  checked.schemaEnv = validate.schemaEnv;
  checked.schema = validate.schema;
  return checked;
}

/** The JSON pointer of the first string (value or key) holding U+0000, or null. */
function findNulCharacter(value: unknown): string | null {
  const keys = keysToNulCharacter(value);
  return keys === null ? null : keys.reverse().map((key) => `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * The keys leading to the first string (value or key) holding U+0000, innermost first, or null. Every request's
 * input passes through here, so the clean case allocates nothing: the path is built only for a string found.
 */
function keysToNulCharacter(value: unknown): (string | number)[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? [] : null;
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = keysToNulCharacter(value[index]);
      if (found !== null) {
        found.push(index);
        return found;
      }
    }
    return null;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (key.includes('\u0000')) return [key];
    const found = keysToNulCharacter((value as Record<string, unknown>)[key]);
    if (found !== null) {
      found.push(key);
      return found;
    }
  }
  return null;
}
