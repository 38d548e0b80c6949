/**
 * Response bodies written by V8's own JSON.stringify, keeping what the compiled serialiser guarantees: only the
 * properties the response schema names are sent. A body is first copied into plain objects that hold exactly
 * those properties (one object literal per schema object, made once with `new Function`, as rowObjectMaker does for
 * rows), then stringified.
 *
 * Why: V8's JSON.stringify has become much faster on plain data, and on Node 26 (the container's runtime) a feed
 * page of 20 items costs 4.7 µs this way against 11.8 µs through fast-json-stringify, which builds its output by
 * string concatenation (Node 20: 14.8 against 17.0 µs; docs/benchmarks.md, ninth pass).
 *
 * Only schemas made of objects with `properties`, arrays with one `items` schema, and leaves (anything holding
 * no object or array: strings, numbers, enums, a string or null) are projected this way. Any other schema
 * (`additionalProperties`, `$ref`, a union with an object in it, ...) keeps fast-json-stringify, which is also
 * what the cross-check below compares with.
 */

type Schema = Record<string, unknown>;
type Projection = (value: unknown) => unknown;

/** The projection of a response schema, or null when the schema is not one this module projects. */
export function projectionOf(schema: unknown): Projection | null {
  const part = partOf(schema);
  if (part === null) return null;
  if (part !== 'leaf') return part;
  return acceptsAnything(schema as Schema) ? (value) => value : typedLeafProjection;
}

/**
 * A body serialiser for `schema`: projection and JSON.stringify where the schema allows, else `compiled()`, the
 * fast-json-stringify serialiser. With `crossCheck` (the test suites), every body projected is also serialised by
 * fast-json-stringify and the two must be the same text, so any difference (a value of another type than the
 * schema says, which fast-json-stringify would coerce) fails the test that sent it.
 */
export function responseSerializer(schema: unknown, compiled: () => (data: unknown) => string, crossCheck: boolean): (data: unknown) => string {
  const project = projectionOf(schema);
  if (project === null) return compiled();
  if (!crossCheck) return (data) => JSON.stringify(project(data));
  const reference = compiled();
  return (data) => {
    const projected = JSON.stringify(project(data));
    const expected = reference(data);
    if (projected !== expected) throw new Error(`response projection differs from fast-json-stringify:\n${projected}\n${expected}`);
    return projected;
  };
}

/** 'leaf' for a value copied as it is, a projection for an object or an array, null for a schema not handled. */
function partOf(schema: unknown): Projection | 'leaf' | null {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return null;
  const s = schema as Schema;
  const unhandled = ['$ref', 'allOf', 'if', 'not', 'patternProperties'].some((keyword) => keyword in s);
  if (unhandled || ('additionalProperties' in s && s.additionalProperties !== false)) return null;
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  const unions = [s.anyOf, s.oneOf].filter((union) => union !== undefined);
  if ('properties' in s || 'items' in s || types.includes('object') || types.includes('array')) {
    if (unions.length > 0 || types.length !== 1) return null;
    return types[0] === 'object' ? objectProjection(s) : arrayProjection(s);
  }
  // A leaf: every branch of a union must be a leaf too (a string or null, say).
  for (const union of unions) {
    if (!Array.isArray(union) || union.some((branch) => partOf(branch) !== 'leaf')) return null;
  }
  return 'leaf';
}

function objectProjection(schema: Schema): Projection | null {
  const properties = schema.properties as Record<string, unknown> | undefined;
  if (typeof properties !== 'object' || properties === null) return null;
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]).filter((name) => typeof name === 'string') : [];
  const nested: Projection[] = [];
  const fields: string[] = [];
  const typedLeaves: string[] = [];
  // In fast-json-stringify's order: the required properties first, each group in the schema's order.
  const names = Object.keys(properties);
  for (const name of [...names.filter((name) => required.includes(name)), ...names.filter((name) => !required.includes(name))]) {
    const propertySchema = properties[name];
    const part = partOf(propertySchema);
    if (part === null) return null;
    const read = `value[${JSON.stringify(name)}]`;
    // A computed key, so that a property named __proto__ is an own property, as in fast-json-stringify's output.
    const key = name === '__proto__' ? `["__proto__"]` : JSON.stringify(name);
    fields.push(`${key}: ${part === 'leaf' ? read : `nested[${nested.push(part) - 1}](${read})`}`);
    if (part === 'leaf' && !acceptsAnything(propertySchema as Schema)) typedLeaves.push(name);
  }
  // One test on the way for what must be refused (the reply becomes a 500): a required property that is missing,
  // as fast-json-stringify does; and an object where the schema has a string, a number or the like, which
  // JSON.stringify would print whole (fast-json-stringify prints it as a string, "[object Object]").
  const refusals = [
    ...required.map((name) => `value[${JSON.stringify(name)}] === undefined`),
    ...typedLeaves.map((name) => `!isLeafValue(value[${JSON.stringify(name)}])`),
  ];
  const body = `return (value) => {
    // Anything but an object (null for a nullable one, a wrong value) is passed on as it is, for JSON.stringify to print.
    if (typeof value !== 'object' || value === null) return value;
    ${refusals.length === 0 ? '' : `if (${refusals.join(' || ')}) refuse(value);`}
    return { ${fields.join(', ')} };
  };`;
  const refuse = (value: Record<string, unknown>) => {
    const missing = required.find((name) => value[name as string] === undefined);
    if (missing !== undefined) throw new Error(`${JSON.stringify(missing)} is required!`);
    throw new Error(`${JSON.stringify(typedLeaves.find((name) => !isLeafValue(value[name])))} holds an object where its schema has none`);
  };
  return new Function('nested', 'isLeafValue', 'refuse', body)(nested, isLeafValue, refuse) as Projection;
}

function arrayProjection(schema: Schema): Projection | null {
  const part = partOf(schema.items);
  if (part === null) return null;
  if (part === 'leaf') return acceptsAnything(schema.items as Schema) ? (value) => value : typedLeavesProjection;
  return (value) => {
    if (!Array.isArray(value)) return value;
    const projected = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index++) projected[index] = part(value[index]);
    return projected;
  };
}

/** A leaf schema that says nothing of its value (`{}`, or a description alone): fast-json-stringify prints it whole too. */
function acceptsAnything(schema: Schema): boolean {
  return !['type', 'enum', 'const', 'anyOf', 'oneOf'].some((keyword) => keyword in schema);
}

/** What a leaf may hold: anything but an object, except a Date, which prints as its ISO-8601 text either way. */
function isLeafValue(value: unknown): boolean {
  return typeof value !== 'object' || value === null || value instanceof Date;
}

/** A body that is a typed leaf (see objectProjection's refusals). */
function typedLeafProjection(value: unknown): unknown {
  if (!isLeafValue(value)) throw new Error('the body holds an object where its schema has none');
  return value;
}

/** An array of typed leaves. */
function typedLeavesProjection(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (const item of value) if (!isLeafValue(item)) throw new Error('an array item holds an object where its schema has none');
  }
  return value;
}
