import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Page } from '@/components/page';
import { createCleaning } from './api';
import { CleaningForm } from './cleaning-form';

export function NewCleaningPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: createCleaning,
    onSuccess: async (cleaning) => {
      await queryClient.invalidateQueries({ queryKey: ['feed'] });
      await queryClient.invalidateQueries({ queryKey: ['cleanings', 'mine'] });
      navigate(`/cleanings/${cleaning.id}`);
    },
  });
  return (
    <Page title="Post a cleaning job" narrow>
      <CleaningForm submitLabel="Post the job" busy={create.isPending} error={create.error} onSubmit={(draft) => create.mutate(draft)} />
    </Page>
  );
}
