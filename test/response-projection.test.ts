import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import Fastify from 'fastify';
import { Type } from 'typebox';
import { projectionOf, responseSerializer } from '../src/http/response-projection.js';
import { serializers } from '../src/http/validation.js';

const Owner = Type.Object({ id: Type.String(), name: Type.String(), email: Type.Optional(Type.String()) });
const Item = Type.Object({
  id: Type.Integer(),
  description: Type.Union([Type.String(), Type.Null()]),
  kind: Type.Enum(['a', 'b']),
  tags: Type.Array(Type.String()),
  owner: Owner,
  created_at: Type.String({ format: 'date-time' }),
});
const Page = Type.Object({ items: Type.Array(Item), next: Type.Union([Type.String(), Type.Null()]) });

const plain = (schema: unknown) => JSON.parse(JSON.stringify(schema));
/** fast-json-stringify's serialiser for `schema`, as Fastify compiles it. */
const fastJsonStringify = (schema: unknown) =>
  SerializerSelector()(undefined, undefined)({ schema, method: 'GET', url: '/', httpStatus: '200' }) as (data: unknown) => string;
const serializeWith = (schema: unknown, crossCheck = false) => responseSerializer(plain(schema), () => fastJsonStringify(plain(schema)), crossCheck);

const page = {
  items: [
    {
      id: 1,
      description: null,
      kind: 'a',
      tags: ['x', 'y "quoted"\n'],
      owner: { id: 'u1', name: 'alice', email: 'alice@example.com', password_hash: '$argon2id$secret' },
      created_at: new Date('2026-11-22T05:00:00.123Z'),
      is_superuser: true,
    },
    { id: 2, description: 'ünï ✓', kind: 'b', tags: [], owner: { id: 'u2', name: 'bob' }, created_at: '2026-11-22T06:00:00.000Z' },
  ],
  next: 'cursor',
  total_secret: 42,
};

describe('response projection', () => {
  test('writes what fast-json-stringify writes: only the schema’s properties, in its order, optional ones left out when missing', () => {
    const text = serializeWith(Page)(page);
    assert.equal(text, fastJsonStringify(plain(Page))(page));
    assert.doesNotMatch(text, /password_hash|is_superuser|total_secret/);
    assert.deepEqual(Object.keys(JSON.parse(text).items[0]), ['id', 'description', 'kind', 'tags', 'owner', 'created_at']);
    assert.deepEqual(JSON.parse(text).items[1].owner, { id: 'u2', name: 'bob' });
  });

  test('projects arrays at the top, leaves as they are, and a property named __proto__ as an own property', () => {
    assert.equal(serializeWith(Type.Array(Owner))([{ id: 'u', name: 'n', extra: 1 }]), '[{"id":"u","name":"n"}]');
    assert.equal(serializeWith(Type.Array(Type.Integer()))([1, 2]), '[1,2]');
    assert.equal(serializeWith(Type.String())('a "b"'), '"a \\"b\\""');
    const withProto = Type.Object({ ['__proto__']: Type.String(), a: Type.Integer() });
    assert.equal(serializeWith(withProto)(JSON.parse('{"__proto__": "p", "a": 1, "b": 2}')), '{"__proto__":"p","a":1}');
  });

  test('puts required properties first, as fast-json-stringify does, and refuses a body that lacks one', () => {
    const mixed = Type.Object({ a: Type.Optional(Type.String()), b: Type.Integer(), c: Type.Optional(Type.Boolean()), d: Type.String() });
    assert.equal(serializeWith(mixed, true)({ a: 'x', b: 1, c: true, d: 'y' }), '{"b":1,"d":"y","a":"x","c":true}');
    assert.throws(() => serializeWith(mixed)({ a: 'x', b: 1 }), /"d" is required!/);
    assert.throws(() => fastJsonStringify(plain(mixed))({ a: 'x', b: 1 }), /"d" is required!/);
  });

  test('refuses an object where the schema has a string, a number or the like, rather than print it whole', () => {
    const leak = { id: 'u1', password_hash: '$argon2id$secret' };
    assert.throws(() => serializeWith(Owner)({ id: leak, name: 'n' }), /"id" holds an object/);
    assert.throws(() => serializeWith(Item)({ ...page.items[1], description: leak }), /"description" holds an object/);
    assert.throws(() => serializeWith(Item)({ ...page.items[1], tags: ['a', leak] }), /array item holds an object/);
    assert.throws(() => serializeWith(Type.String())(leak), /body holds an object/);
    // A Date prints as its ISO-8601 text, as fast-json-stringify prints it; a schema that says nothing takes anything.
    assert.equal(serializeWith(Type.Object({ at: Type.String() }), true)({ at: new Date('2026-11-22T05:00:00.000Z') }), '{"at":"2026-11-22T05:00:00.000Z"}');
    assert.equal(serializeWith(Type.Object({ any: Type.Unknown() }), true)({ any: { a: [1] } }), '{"any":{"a":[1]}}');
  });

  test('leaves to fast-json-stringify the schemas it does not project', () => {
    for (const schema of [
      Type.Object({ a: Type.String() }, { additionalProperties: true }),
      Type.Record(Type.String(), Type.Integer()),
      Type.Union([Owner, Type.Null()]),
      Type.Object({ nested: Type.Union([Owner, Type.String()]) }),
      { $ref: 'Owner#' },
      { type: ['object', 'null'], properties: { a: { type: 'string' } } },
      { type: 'array', items: [{ type: 'string' }] },
    ]) {
      assert.equal(projectionOf(plain(schema)), null, JSON.stringify(schema));
    }
    const extra = Type.Object({ a: Type.String() }, { additionalProperties: true });
    let compiled = 0;
    const serialize = responseSerializer(plain(extra), () => (compiled++, fastJsonStringify(plain(extra))), false);
    assert.equal(serialize({ a: 'x', b: 1 }), '{"a":"x","b":1}');
    assert.equal(compiled, 1);
    assert.notEqual(projectionOf(plain(Type.Object({ a: Type.String() }, { additionalProperties: false }))), null);
  });

  test('with the cross-check, refuses a body that fast-json-stringify would write differently', () => {
    // A number where the schema says string: fast-json-stringify quotes it, JSON.stringify would not.
    assert.throws(() => serializeWith(Owner, true)({ id: 7, name: 'n' }), /response projection differs/);
    assert.equal(serializeWith(Owner, true)({ id: '7', name: 'n', extra: true }), '{"id":"7","name":"n"}');
  });

  test('a route’s response keeps out what its schema does not name', async () => {
    const app = Fastify({ schemaController: serializers(false) });
    app.get('/me', { schema: { response: { 200: Owner } } }, async () => ({ id: 'u1', name: 'alice', password_hash: '$argon2id$secret' }));
    try {
      const res = await app.inject({ url: '/me' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.body, '{"id":"u1","name":"alice"}');
    } finally {
      await app.close();
    }
  });
});
