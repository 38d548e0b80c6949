import readline from 'node:readline';
import { Writable } from 'node:stream';

/** Asks a question on the terminal without echoing the answer (for passwords). Rejects on Ctrl-C or Ctrl-D. */
export function promptHidden(question: string): Promise<string> {
  let muted = false;
  // readline echoes what is typed through its output; once the question is shown, that output swallows it.
  const output = new Writable({
    write(chunk, encoding, callback) {
      if (!muted) process.stdout.write(chunk, encoding);
      callback();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
  return new Promise<string>((resolve, reject) => {
    let answered = false;
    rl.on('SIGINT', () => rl.close());
    rl.on('close', () => {
      process.stdout.write('\n');
      if (!answered) reject(new Error('Cancelled.'));
    });
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
    muted = true;
  });
}
