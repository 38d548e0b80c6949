import type { Kysely } from 'kysely';
import { hasReturning } from '../../db/dialect.js';
import { preparedQuery } from '../../db/prepared-query.js';
import { toBool, type Database, type TodoRow } from '../../db/schema.js';

export interface Todo {
  id: number;
  content: string;
  isDone: boolean;
}

function toTodo(row: Pick<TodoRow, 'id' | 'content' | 'is_done'>): Todo {
  return { id: row.id, content: row.content, isDone: toBool(row.is_done) };
}

/** Every query is scoped to the owner: another user's todo is indistinguishable from a missing one. */
export class TodosRepository {
  // The reads every todo page makes, compiled once (see preparedQuery); one query per sort order.
  private readonly list: Record<'asc' | 'desc', (ownerId: string) => Promise<Pick<TodoRow, 'id' | 'content' | 'is_done'>[]>>;
  private readonly find: (ownerId: string, id: number) => Promise<Pick<TodoRow, 'id' | 'content' | 'is_done'>[]>;

  constructor(private readonly db: Kysely<Database>) {
    const listIn = (order: 'asc' | 'desc') =>
      preparedQuery(db, 1, (ownerId: string) =>
        db.selectFrom('todos').select(['id', 'content', 'is_done']).where('user_id', '=', ownerId).orderBy('id', order),
      );
    this.list = { asc: listIn('asc'), desc: listIn('desc') };
    this.find = preparedQuery(db, 2, (ownerId: string, id: number) =>
      db.selectFrom('todos').select(['id', 'content', 'is_done']).where('id', '=', id).where('user_id', '=', ownerId),
    );
  }

  async listForOwner(ownerId: string, order: 'asc' | 'desc'): Promise<Todo[]> {
    return (await this.list[order](ownerId)).map(toTodo);
  }

  async findForOwner(ownerId: string, id: number): Promise<Todo | null> {
    const [row] = await this.find(ownerId, id);
    return row === undefined ? null : toTodo(row);
  }

  async create(ownerId: string, content: string, isDone: boolean): Promise<Todo> {
    const insert = this.db.insertInto('todos').values({ user_id: ownerId, content, is_done: isDone, created_at: new Date() });
    if (hasReturning(this.db)) return toTodo(await insert.returning(['id', 'content', 'is_done']).executeTakeFirstOrThrow());
    // MySQL: the row is exactly what was written, under the id the server assigned.
    const { insertId } = await insert.executeTakeFirstOrThrow();
    return { id: Number(insertId), content, isDone };
  }

  async setDone(ownerId: string, id: number, isDone: boolean): Promise<Todo | null> {
    const update = (db: Kysely<Database>) =>
      db.updateTable('todos').set({ is_done: isDone }).where('id', '=', id).where('user_id', '=', ownerId);
    if (hasReturning(this.db)) {
      const row = await update(this.db).returning(['id', 'content', 'is_done']).executeTakeFirst();
      return row === undefined ? null : toTodo(row);
    }
    // MySQL: the update locks the row until commit, so the read in the same transaction sees this change.
    return this.db.transaction().execute(async (trx) => {
      const result = await update(trx).executeTakeFirst();
      return result.numUpdatedRows === 0n ? null : new TodosRepository(trx).findForOwner(ownerId, id);
    });
  }

  async delete(ownerId: string, id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('todos').where('id', '=', id).where('user_id', '=', ownerId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
