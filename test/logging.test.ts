import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BatchedLines } from '../src/http/logging.js';

describe('BatchedLines, the JSON logs’ batching in front of stdout', () => {
  test('holds lines until they reach the batch length, then writes them at once and in order', () => {
    const writes: string[] = [];
    const lines = new BatchedLines({ write: (text: string) => writes.push(text) }, 10);
    lines.write('abc\n');
    lines.write('def\n');
    assert.deepEqual(writes, []);
    lines.write('ghi\n');
    assert.deepEqual(writes, ['abc\ndef\nghi\n']);
    lines.write('jkl\n');
    assert.deepEqual(writes, ['abc\ndef\nghi\n']);
  });

  test('flush writes what is held, once; with nothing held it writes nothing', () => {
    const writes: string[] = [];
    const lines = new BatchedLines({ write: (text: string) => writes.push(text) }, 4096);
    lines.flush();
    assert.deepEqual(writes, []);
    lines.write('{"msg":"one"}\n');
    lines.write('{"msg":"two"}\n');
    lines.flush();
    lines.flush();
    assert.deepEqual(writes, ['{"msg":"one"}\n{"msg":"two"}\n']);
  });

  test("pino's logger.flush(done) writes the held lines, then calls done", async () => {
    const { default: pino } = await import('pino');
    const writes: string[] = [];
    const logger = pino({ base: null, timestamp: false }, new BatchedLines({ write: (text: string) => writes.push(text) }, 4096));
    logger.info('held');
    assert.deepEqual(writes, []);
    await new Promise<void>((resolve, reject) => logger.flush((error) => (error ? reject(error) : resolve())));
    assert.deepEqual(writes, ['{"level":30,"msg":"held"}\n']);
  });

  test('a line longer than the batch is written at once', () => {
    const writes: string[] = [];
    const lines = new BatchedLines({ write: (text: string) => writes.push(text) }, 8);
    lines.write('a line of more than eight characters\n');
    assert.deepEqual(writes, ['a line of more than eight characters\n']);
  });
});
