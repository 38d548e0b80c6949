import type { Static } from 'typebox';
import { NotFoundError, DomainError } from '../../core/errors.js';
import { found } from '../../core/found.js';
import type { Todo, TodosRepository } from './todos.repository.js';
import type { Todo as TodoView, TodoList } from './todos.schemas.js';

export const todoNotFound = (): DomainError => new NotFoundError('ToDo Not Found');

type TodoPublic = Static<typeof TodoView>;

export function toTodoPublic(todo: Todo): TodoPublic {
  return { id: todo.id, content: todo.content, is_done: todo.isDone };
}

export class TodosService {
  constructor(private readonly todos: TodosRepository) {}

  async list(ownerId: string, order: 'ASC' | 'DESC'): Promise<Static<typeof TodoList>> {
    return { todos: (await this.todos.listForOwner(ownerId, order === 'DESC' ? 'desc' : 'asc')).map(toTodoPublic) };
  }

  async get(ownerId: string, id: number): Promise<TodoPublic> {
    return toTodoPublic(found(await this.todos.findForOwner(ownerId, id), todoNotFound));
  }

  async create(ownerId: string, content: string, isDone: boolean): Promise<TodoPublic> {
    return toTodoPublic(await this.todos.create(ownerId, content, isDone));
  }

  async setDone(ownerId: string, id: number, isDone: boolean): Promise<TodoPublic> {
    return toTodoPublic(found(await this.todos.setDone(ownerId, id, isDone), todoNotFound));
  }

  async delete(ownerId: string, id: number): Promise<void> {
    if (!(await this.todos.delete(ownerId, id))) throw todoNotFound();
  }
}
