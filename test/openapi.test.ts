import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, describe, test } from 'node:test';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { buildOpenApiDocument, committedDocumentPath, formatDocument } from '../scripts/openapi-document.js';

type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: unknown[];
  requestBody?: { required?: boolean; content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: { $ref?: string } }> }>;
};
type Document = {
  servers: { url: string }[];
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, { minLength?: number; maxLength?: number; description?: string }> }> };
};

const operationsOf = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, operations]) => Object.entries(operations).map(([method, operation]) => ({ path, method, operation })));

describe('the OpenAPI document', () => {
  let document: Document;
  before(async () => {
    document = (await buildOpenApiDocument()) as unknown as Document;
  });

  test('passes Redocly\'s recommended lint rules with no error', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: '/openapi.json', config });
    const errors = problems.filter((problem) => problem.severity === 'error');
    assert.deepEqual(errors.map((error) => `${error.ruleId}: ${error.message} at ${error.location[0]?.pointer}`), []);
  });

  test('docs/openapi.json is the document the routes make (run `npm run openapi` after changing a route)', () => {
    assert.equal(fs.readFileSync(committedDocumentPath, 'utf8'), formatDocument(document));
  });

  test('every operation has a unique operationId, a summary and a described tag', () => {
    const ids = new Set<string>();
    const tags = new Map(document.tags.map((tag) => [tag.name, tag.description]));
    for (const { path, method, operation } of operationsOf(document)) {
      assert.match(operation.operationId ?? '', /^[a-z][A-Za-z]+$/, `${method} ${path}`);
      assert.ok(!ids.has(operation.operationId!), `operationId ${operation.operationId} used twice`);
      ids.add(operation.operationId!);
      assert.ok(operation.summary, `${method} ${path} summary`);
      for (const tag of operation.tags ?? []) assert.ok(tags.get(tag), `${method} ${path}: tag ${tag} has a description`);
    }
    // The ToDo account routes and the /api account routes are told apart.
    assert.deepEqual(document.paths['/users/sign-up']!.post!.tags, ['todo-users']);
    assert.deepEqual(document.paths['/users/email/otp']!.post!.tags, ['todo-users']);
    assert.deepEqual(document.paths['/api/users']!.post!.tags, ['users']);
  });

  test('every response says what it is, and every route with input documents FastAPI\'s 422', () => {
    for (const { path, method, operation } of operationsOf(document)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        assert.notEqual(response.description, 'Default Response', `${method} ${path} ${status}`);
        const schema = response.content?.['application/json']?.schema;
        if (status !== '422' && Number(status) >= 400 && path !== '/ready') {
          assert.match(schema?.$ref ?? '', /^#\/components\/schemas\/(HTTPError|TokenError|LogInUnauthorized)$/, `${method} ${path} ${status}`);
        }
      }
      if (operation.parameters !== undefined || operation.requestBody !== undefined) {
        const validation = operation.responses['422']?.content?.['application/json']?.schema.$ref;
        assert.match(validation ?? '', /^#\/components\/schemas\/(HTTPValidationError|TokenValidationError)$/, `${method} ${path}`);
      }
    }
    const { HTTPValidationError, ValidationError } = document.components.schemas;
    assert.deepEqual(HTTPValidationError!.properties!.detail, { type: 'array', items: { $ref: '#/components/schemas/ValidationError' } });
    assert.deepEqual(Object.keys(ValidationError!.properties!), ['loc', 'msg', 'type']);
  });

  test('bodies and answers are named schemas with examples', () => {
    const body = document.paths['/api/cleanings']!.post!.requestBody!.content['application/json']!;
    assert.deepEqual(body.schema, { $ref: '#/components/schemas/NewCleaningBody' });
    assert.ok((body as { example?: unknown }).example, 'an example');
    assert.deepEqual(document.paths['/api/cleanings/{cleaning_id}']!.get!.responses['200']!.content!['application/json']!.schema, {
      $ref: '#/components/schemas/CleaningWithOwner',
    });
    for (const name of ['Todo', 'UserRead', 'Offer', 'Evaluation', 'Profile', 'CleaningFeedItem', 'BearerResponse']) {
      assert.ok(document.components.schemas[name], name);
    }
    // Phresh's accept call has no body.
    assert.equal(document.paths['/api/cleanings/{cleaning_id}/offers/{username}']!.put!.requestBody!.required, false);
  });

  test('public routes say `security: []`; the others name the bearer schemes', () => {
    for (const path of ['/users/sign-up', '/users/log-in', '/api/token', '/api/auth/forgot-password', '/health']) {
      const [operation] = Object.values(document.paths[path]!);
      assert.deepEqual(operation!.security, [], path);
    }
    assert.deepEqual(document.paths['/todos']!.get!.security, [{ bearerAuth: [] }, { oauth2Password: [] }]);
  });

  test('servers and the password rules come from the configuration', async () => {
    assert.deepEqual(document.servers, [{ url: '/', description: 'This server' }]);
    const password = document.components.schemas.UserCreate!.properties!.password!;
    assert.equal(password.minLength, 10);
    assert.equal(password.maxLength, 64);
    assert.match(password.description ?? '', /one letter, one digit/);
    // A log-in password is whatever was set once: no policy there.
    assert.equal(document.components.schemas.Credentials!.properties!.password!.minLength, 1);

    const configured = (await buildOpenApiDocument({
      OPENAPI_SERVERS: 'https://api.example.com, /',
      PASSWORD_MIN_LENGTH: '12',
      PASSWORD_MAX_LENGTH: '100',
    })) as unknown as Document;
    assert.deepEqual(configured.servers, [{ url: 'https://api.example.com' }, { url: '/' }]);
    const signUp = configured.components.schemas.SignUp!.properties!.password!;
    assert.deepEqual([signUp.minLength, signUp.maxLength], [12, 100]);
    assert.match(signUp.description ?? '', /^12 to 100 characters/);
  });
});
