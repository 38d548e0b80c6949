import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { Button } from '@/components/button';
import { ErrorAlert, QueryState } from '@/components/feedback';
import { TextField } from '@/components/field';
import { Page } from '@/components/page';
import { fieldError } from '@/lib/errors';
import type { Order } from './api';
import { useTodos } from './use-todos';

export function TodosPage() {
  const [params, setParams] = useSearchParams();
  const order: Order = params.get('order') === 'DESC' ? 'DESC' : 'ASC';
  const { list, add, toggle, remove } = useTodos(order);
  const [content, setContent] = useState('');
  // The last failed change, shown until the next one: the list itself has already been put back.
  const failure = [add, toggle, remove].find((m) => m.isError)?.error;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = content.trim();
    // Cleared at once, like the row that appears at once: waiting for the answer would wipe what is typed
    // meanwhile. A refused todo comes back into the field, beside the API's reason, unless something new is there.
    setContent('');
    add.mutate(text, { onError: () => setContent((typed) => (typed === '' ? text : typed)) });
  };

  return (
    <Page
      title="Todos"
      actions={
        <Button variant="secondary" onClick={() => setParams(order === 'ASC' ? { order: 'DESC' } : {}, { replace: true })} aria-label={`Order: ${order === 'ASC' ? 'oldest first' : 'newest first'}. Change order`}>
          {order === 'ASC' ? 'Oldest first ↓' : 'Newest first ↑'}
        </Button>
      }
    >
      <form onSubmit={submit} noValidate className="form form-inline">
        <TextField label="New todo" name="content" maxLength={256} value={content} onChange={(e) => setContent(e.target.value)} error={fieldError(add.error, 'content')} />
        <Button type="submit">Add</Button>
      </form>
      <ErrorAlert error={failure} />
      <QueryState query={list} what="your todos" isEmpty={(todos) => todos.length === 0} empty="Nothing to do. Add your first todo above.">
        {(todos) => (
          <ul className="todo-list" aria-label="Todos">
            {todos.map((todo) => (
              <li key={todo.id} className={todo.is_done ? 'todo todo-done' : 'todo'}>
                <label className="todo-check">
                  <input type="checkbox" checked={todo.is_done} disabled={todo.id < 0} onChange={(e) => toggle.mutate({ id: todo.id, isDone: e.target.checked })} />
                  <span>{todo.content}</span>
                </label>
                <Button variant="link" disabled={todo.id < 0} onClick={() => remove.mutate(todo.id)} aria-label={`Delete “${todo.content}”`}>
                  Delete
                </Button>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </Page>
  );
}
