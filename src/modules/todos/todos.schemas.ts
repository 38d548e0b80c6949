import { Type } from 'typebox';

export const TodoId = Type.Object({ todo_id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
export const Todo = Type.Object({ id: Type.Integer(), content: Type.String(), is_done: Type.Boolean() }, { title: 'Todo' });
export const TodoList = Type.Object({ todos: Type.Array(Todo) }, { title: 'TodoList' });
export const ListQuery = Type.Object({
  order: Type.Optional(Type.Union([Type.Literal('ASC'), Type.Literal('DESC')], { default: 'ASC' })),
});
export const CreateTodoBody = Type.Object({
  content: Type.String({ minLength: 1, maxLength: 256 }),
  is_done: Type.Boolean(),
}, { title: 'TodoCreate', examples: [{ content: 'Water the plants', is_done: false }] });
export const UpdateTodoBody = Type.Object({ is_done: Type.Boolean() }, { title: 'TodoUpdate', examples: [{ is_done: true }] });
