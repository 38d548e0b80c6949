import { api, unwrap } from '@/lib/api/client';

export type Order = 'ASC' | 'DESC';

export const todosKey = (order: Order) => ['todos', order] as const;

export const listTodos = async (order: Order) => (await unwrap(api.GET('/todos', { params: { query: { order } } }))).todos;

export type Todo = Awaited<ReturnType<typeof listTodos>>[number];

export const addTodo = (content: string) => unwrap(api.POST('/todos', { body: { content, is_done: false } }));

export const setDone = (id: number, isDone: boolean) => unwrap(api.PATCH('/todos/{todo_id}', { params: { path: { todo_id: id } }, body: { is_done: isDone } }));

export const deleteTodo = (id: number) => unwrap(api.DELETE('/todos/{todo_id}', { params: { path: { todo_id: id } } }));
