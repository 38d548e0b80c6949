import type { Mailer } from '../mailer/mailer.js';
import type { Job, JobHandler } from './jobs.js';

/** The one place that knows what each job does; used by the in-process queue and the BullMQ worker alike. */
export interface JobTasks {
  /** Deletes expired sessions and old audit events (needs the database, which a mail-only runner lacks). */
  pruneExpired?: () => Promise<unknown>;
}

export function createJobRunner(mailer: Mailer, tasks: JobTasks = {}): JobHandler {
  return async (job: Job) => {
    switch (job.name) {
      case 'send-email':
        await mailer.send(job.data);
        return;
      case 'prune-expired':
        if (tasks.pruneExpired === undefined) throw new Error('This runner has no database to prune');
        await tasks.pruneExpired();
        return;
      default: {
        // A compile error here means a job was added to the Job union without a case above.
        const unhandled: never = job;
        throw new Error(`No runner for job "${String((unhandled as Job).name)}"`);
      }
    }
  };
}
