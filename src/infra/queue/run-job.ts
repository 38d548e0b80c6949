import type { Mailer } from '../mailer/mailer.js';
import type { Job, JobHandler } from './jobs.js';

/** The one place that knows what each job does; used by the in-process queue and the BullMQ worker alike. */
export function createJobRunner(mailer: Mailer): JobHandler {
  return async (job: Job) => {
    switch (job.name) {
      case 'send-email':
        await mailer.send(job.data);
        return;
      default: {
        // A compile error here means a job was added to the Job union without a case above.
        // (It checks job.name: TypeScript narrows a single-member union by the switched value, not the object.)
        const unhandled: never = job.name;
        throw new Error(`No runner for job "${String(unhandled)}"`);
      }
    }
  };
}
