/**
 * Runs in a thread of the password-hashing pool (password-hasher.ts): each hash or check runs here, synchronously,
 * on this thread, which the pool starts at a lower scheduling priority. When hashing and the event loop compete
 * for a core, the event loop wins, so other requests stay fast while log-ins run flat out.
 */
import { hashSync, verifySync } from '@node-rs/argon2';

// @node-rs/argon2's Algorithm is an ambient const enum; 2 is its Argon2id member.
const argon2id = 2;

export type HashingTask =
  | { kind: 'hash'; password: string; memoryCost: number; timeCost: number; parallelism: number }
  | { kind: 'verify-argon2'; stored: string; password: string }
  | { kind: 'verify-bcrypt'; stored: string; password: string };

export default async function runHashingTask(task: HashingTask): Promise<string | boolean> {
  switch (task.kind) {
    case 'hash':
      return hashSync(task.password, { algorithm: argon2id, memoryCost: task.memoryCost, timeCost: task.timeCost, parallelism: task.parallelism });
    case 'verify-argon2':
      try {
        return verifySync(task.stored, task.password);
      } catch {
        return false; // a malformed stored hash is no match
      }
    case 'verify-bcrypt': {
      // Only accounts imported from the seed tutorial have bcrypt hashes: its native module loads at the first.
      const { default: bcrypt } = await import('bcrypt');
      return bcrypt.compareSync(task.password, task.stored);
    }
  }
}
