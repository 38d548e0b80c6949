import { Type } from 'typebox';

export const TodoId = Type.Object({ todo_id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
export const Todo = Type.Object({ id: Type.Integer(), content: Type.String(), is_done: Type.Boolean() });
export const TodoList = Type.Object({ todos: Type.Array(Todo) });
export const ListQuery = Type.Object({
  order: Type.Optional(Type.Union([Type.Literal('ASC'), Type.Literal('DESC')], { default: 'ASC' })),
});
export const CreateTodoBody = Type.Object({
  content: Type.String({ minLength: 1, maxLength: 256 }),
  is_done: Type.Boolean(),
});
export const UpdateTodoBody = Type.Object({ is_done: Type.Boolean() });
