import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { addTodo, deleteTodo, listTodos, setDone, todosKey, type Order, type Todo } from './api';

/**
 * The list and its three changes. Each change shows at once (optimistic), puts the list back as it was if the API
 * refuses, and reads the list again either way so ids and order come from the server.
 */
export function useTodos(order: Order) {
  const queryClient = useQueryClient();
  const key = todosKey(order);
  const list = useQuery({ queryKey: key, queryFn: () => listTodos(order) });

  function optimistic<V>(change: (todos: Todo[], variables: V) => Todo[]) {
    return {
      onMutate: async (variables: V) => {
        await queryClient.cancelQueries({ queryKey: ['todos'] });
        const before = queryClient.getQueryData<Todo[]>(key);
        if (before !== undefined) queryClient.setQueryData<Todo[]>(key, change(before, variables));
        return { before };
      },
      onError: (_error: unknown, _variables: V, context: { before: Todo[] | undefined } | undefined) => {
        if (context?.before !== undefined) queryClient.setQueryData(key, context.before);
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: ['todos'] }),
    };
  }

  // A temporary negative id marks the new row until the server's answer replaces it.
  const add = useMutation({
    mutationFn: (content: string) => addTodo(content),
    ...optimistic<string>((todos, content) => {
      const draft = { id: -Date.now(), content, is_done: false };
      return order === 'ASC' ? [...todos, draft] : [draft, ...todos];
    }),
  });
  const toggle = useMutation({
    mutationFn: ({ id, isDone }: { id: number; isDone: boolean }) => setDone(id, isDone),
    ...optimistic<{ id: number; isDone: boolean }>((todos, { id, isDone }) => todos.map((t) => (t.id === id ? { ...t, is_done: isDone } : t))),
  });
  const remove = useMutation({
    mutationFn: (id: number) => deleteTodo(id),
    ...optimistic<number>((todos, id) => todos.filter((t) => t.id !== id)),
  });

  return { list, add, toggle, remove };
}
