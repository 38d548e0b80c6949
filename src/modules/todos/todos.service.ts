import { NotFoundError, DomainError } from '../../core/errors.js';
import { found } from '../../core/found.js';
import type { Todo, TodosRepository } from './todos.repository.js';

export const todoNotFound = (): DomainError => new NotFoundError('ToDo Not Found');

export class TodosService {
  constructor(private readonly todos: TodosRepository) {}

  list(ownerId: string, order: 'ASC' | 'DESC'): Promise<Todo[]> {
    return this.todos.listForOwner(ownerId, order === 'DESC' ? 'desc' : 'asc');
  }

  async get(ownerId: string, id: number): Promise<Todo> {
    return found(await this.todos.findForOwner(ownerId, id), todoNotFound);
  }

  create(ownerId: string, content: string, isDone: boolean): Promise<Todo> {
    return this.todos.create(ownerId, content, isDone);
  }

  async setDone(ownerId: string, id: number, isDone: boolean): Promise<Todo> {
    return found(await this.todos.setDone(ownerId, id, isDone), todoNotFound);
  }

  async delete(ownerId: string, id: number): Promise<void> {
    if (!(await this.todos.delete(ownerId, id))) throw todoNotFound();
  }
}
