import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import pino from 'pino';
import { loadConfig } from '../src/config/config.js';
import { BatchedLines, RequestLines, loggerOptions, requestCompletedLine } from '../src/http/logging.js';

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

describe('the request line', () => {
  const time = 1_790_000_000_000;
  const capture = () => {
    const lines: string[] = [];
    return { lines, stream: { write: (line: string) => lines.push(line) } };
  };

  test("is byte for byte the line pino writes for the same fields, bindings and time, with Spruce's logger options", () => {
    const { lines, stream } = capture();
    // The options the server runs with (a formatter or a mixin added there would change pino's line, and fail this),
    // with only the destination and the clock replaced.
    const { logger: options } = loggerOptions(loadConfig({ LOG_FORMAT: 'json', LOG_LEVEL: 'info' }));
    const serverOptions = { ...(options as pino.LoggerOptions & { stream?: unknown }) };
    delete serverOptions.stream;
    const logger = pino({ ...serverOptions, timestamp: () => `,"time":${time}` }, stream).child({ reqId: 'a1b2c3d4-0000-4000-8000-000000000000' });
    const bindings = (logger as unknown as Record<symbol, string>)[pino.symbols.chindingsSym]!;
    const cases: [string, string, number, number, string | undefined][] = [
      ['GET', '/todos', 200, 3.2164790034294128, '127.0.0.1'],
      ['POST', '/users/log-in?next=%2F', 422, 0.5, '::ffff:10.0.0.1'],
      // Quotes, backslashes, control characters and Latin-1 in the target: escaped as pino escapes them.
      ['GET', '/a"b\\c\u0001\u001f\u007fé', 404, 12, '10.0.0.2'],
      ['DELETE', '/todos/1', 500, 1e-7, undefined],
    ];
    for (const [method, url, statusCode, responseTime, ip] of cases) {
      logger.info({ method, url, statusCode, responseTime, ip }, 'request completed');
      assert.equal(requestCompletedLine(bindings, time, method, url, statusCode, responseTime, ip), lines.at(-1));
    }
    assert.equal(lines.length, cases.length);
  });

  test('is written once a request completes, through the request logger, and not below info', async () => {
    for (const level of ['info', 'warn']) {
      const { lines, stream } = capture();
      const app = Fastify({ logger: { level, stream }, logController: new RequestLines('json') });
      app.get('/things/:id', async () => ({ ok: true }));
      const response = await app.inject({ method: 'GET', url: '/things/7?x=1' });
      await app.close();
      assert.equal(response.statusCode, 200);
      const completed = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'request completed');
      if (level === 'warn') {
        assert.deepEqual(completed, []);
        continue;
      }
      assert.equal(completed.length, 1);
      const [line] = completed as [Record<string, unknown>];
      assert.equal(line.level, 30);
      assert.equal(typeof line.time, 'number');
      assert.equal(line.pid, process.pid);
      // Fastify's own ids here (Spruce's genReqId makes UUIDs): the request logger's binding, whatever it holds.
      assert.match(String(line.reqId), /^req-\w+$/);
      assert.deepEqual(
        { method: line.method, url: line.url, statusCode: line.statusCode, ip: line.ip },
        { method: 'GET', url: '/things/7?x=1', statusCode: 200, ip: '127.0.0.1' },
      );
      assert.equal(typeof line.responseTime, 'number');
    }
  });
});
