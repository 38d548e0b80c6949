import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { bearerSecurity, callerOf, requireUser } from '../../http/authentication.js';
import { type Authenticator, Detail } from '../identity/index.js';
import { CreateTodoBody, ListQuery, Todo, TodoId, TodoList, UpdateTodoBody } from './todos.schemas.js';
import type { TodosService } from './todos.service.js';

const errors = { 401: Detail, 404: Detail, 422: Detail };

export const todosRoutes: FastifyPluginAsyncTypebox<{ todos: TodosService; authenticator: Authenticator }> = async (
  app,
  { todos, authenticator },
) => {
  // onRequest, before the body is parsed or validated: an anonymous caller learns nothing about the input rules.
  app.addHook('onRequest', requireUser(authenticator));
  const common = { tags: ['todos'], security: bearerSecurity };

  app.get(
    '/todos',
    { schema: { operationId: 'listTodos', ...common, summary: "The caller's todos, oldest first unless order=DESC", querystring: ListQuery, response: { 200: TodoList, ...errors } } },
    async (request) => todos.list(callerOf(request).id, request.query.order ?? 'ASC'),
  );

  app.get(
    '/todos/:todo_id',
    { schema: { operationId: 'getTodo', ...common, summary: 'One of the caller’s todos', params: TodoId, response: { 200: Todo, ...errors } } },
    async (request) => todos.get(callerOf(request).id, request.params.todo_id),
  );

  app.post(
    '/todos',
    { schema: { operationId: 'createTodo', ...common, summary: 'Add a todo', body: CreateTodoBody, response: { 201: Todo, ...errors } } },
    async (request, reply) => reply.code(201).send(await todos.create(callerOf(request).id, request.body.content, request.body.is_done)),
  );

  app.patch(
    '/todos/:todo_id',
    { schema: { operationId: 'updateTodo', ...common, summary: 'Mark a todo done or undone', params: TodoId, body: UpdateTodoBody, response: { 200: Todo, ...errors } } },
    async (request) => todos.setDone(callerOf(request).id, request.params.todo_id, request.body.is_done),
  );

  app.delete(
    '/todos/:todo_id',
    { schema: { operationId: 'deleteTodo', ...common, summary: 'Delete a todo', params: TodoId, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await todos.delete(callerOf(request).id, request.params.todo_id);
      return reply.code(204).send(null);
    },
  );
};
