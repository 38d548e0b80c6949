import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import pino from 'pino';
import type { Config } from '../config/config.js';

/** Readable logs for a person at a terminal in development; JSON for machines everywhere else. */
export function usesPrettyLogs(config: Pick<Config, 'logFormat' | 'env'>, stdoutIsTerminal = process.stdout.isTTY === true): boolean {
  return config.logFormat === 'pretty' || (config.logFormat === 'auto' && config.env === 'development' && stdoutIsTerminal);
}

/**
 * Fastify's logger options. Pretty output goes through pino-pretty as a pino transport, so that module is only
 * loaded (in its own worker thread) when pretty logs are on: production start-up never pays for it. Either way a
 * request is logged on one line when it completes (see RequestLines).
 */
export function loggerOptions(config: Config): Pick<FastifyServerOptions, 'logger' | 'logController'> {
  if (!usesPrettyLogs(config)) {
    const stream = bufferedStdout();
    return {
      logger: {
        level: config.logLevel,
        stream,
        // Warnings and errors are written at once: someone may be waiting for exactly that line.
        hooks: {
          logMethod(args, method, level) {
            method.apply(this, args);
            if (level >= warnLevel) stream.flush();
          },
        },
      },
      logController: new RequestLines('json'),
    };
  }
  return {
    logger: {
      level: config.logLevel,
      transport: {
        target: 'pino-pretty',
        options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,reqId,req,res,responseTime', singleLine: true },
      },
    },
    logController: new RequestLines('pretty'),
  };
}

/**
 * One line per request, written when it completes, instead of Fastify's two (`incoming request` with the request
 * serialised, then `request completed` with the reply serialised). Measured on GET /todos, Fastify's pair cost about
 * 20 µs of CPU per request out of some 100, this line about 2: its fields are read straight off the request
 * instead of going through the req/res serialisers. `incoming request` is still there at debug level, for
 * following a request that never completes.
 *
 * JSON: `{"reqId", "method", "url", "statusCode", "responseTime" (ms), "ip", "msg": "request completed"}`;
 * pretty: `GET /todos 200 3.2 ms`.
 */
export class RequestLines extends LogController {
  constructor(private readonly format: 'json' | 'pretty') {
    super();
  }

  override incomingRequest(request: FastifyRequest): void {
    // Asked first, so that below debug (nearly always) no object is built and no address read for a dropped line.
    if ((request.log as unknown as PinoInternals).isLevelEnabled('debug')) request.log.debug({ method: request.method, url: request.url, ip: request.ip }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) {
      // The response failed on the wire (the client went away mid-body, say): the error says why.
      reply.log.error({ method: request.method, url: request.url, statusCode: reply.statusCode, responseTime: reply.elapsedTime, err: error }, 'request errored');
    } else if (this.format === 'pretty') {
      reply.log.info(`${request.method} ${request.url} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)} ms`);
    } else {
      const log = reply.log as unknown as PinoInternals;
      if (!log.isLevelEnabled('info')) return;
      const line = requestCompletedLine(log[chindingsSym] as string, Date.now(), request.method, request.url, reply.statusCode, reply.elapsedTime, request.ip);
      (log[streamSym] as { write(line: string): unknown }).write(line);
    }
  }
}

const { chindingsSym, streamSym } = pino.symbols;

/** What requestCompleted reads of a pino logger: its bindings as pino writes them, and its destination. */
type PinoInternals = Record<symbol, unknown> & { isLevelEnabled(level: string): boolean };

/**
 * The `request completed` line, exactly as pino writes `log.info({ method, url, statusCode, responseTime, ip },
 * 'request completed')` for a logger with `bindings` (its `pino.symbols.chindingsSym`: `,"pid":…,"hostname":…,
 * "reqId":…`) at `time` (epoch milliseconds, pino's default timestamp), with the options loggerOptions sets
 * (test/logging.test.ts compares the two). Built here because pino's general path (the object's keys walked one by
 * one, each key and string escaped by a loop in JavaScript) was the part of what Spruce adds to a GET /todos that
 * missed the L2 cache most: about 19,000 instructions, 320 L2 misses and 500 mispredicted branches a request, of
 * 383,000, 1,134 and 5,066 (docs/benchmarks.md, eleventh pass). `pino.symbols` is pino's interface for such
 * integrations.
 */
export function requestCompletedLine(
  bindings: string,
  time: number,
  method: string,
  url: string,
  statusCode: number,
  responseTime: number,
  ip: string | undefined,
): string {
  // pino writes a number that is not finite as null, and leaves out a field that is undefined.
  const elapsed = Number.isFinite(responseTime) ? responseTime : null;
  const address = ip === undefined ? '' : `,"ip":${JSON.stringify(ip)}`;
  return `{"level":30,"time":${time}${bindings},"method":${JSON.stringify(method)},"url":${JSON.stringify(url)},"statusCode":${statusCode},"responseTime":${elapsed}${address},"msg":"request completed"}\n`;
}

/** How long an info line may wait in the buffer before it is written. */
export const logFlushIntervalMs = 100;
const warnLevel = 40;

let stdoutLines: BatchedLines | undefined;

/**
 * Standard output for JSON logs, written in batches of about 4 KB rather than with one write system call per
 * line: two info lines per request made those calls a measurable share of a small request's cost. Info lines wait
 * at most logFlushIntervalMs; warnings and errors flush at once (see loggerOptions), and so does exiting, also
 * after an uncaught exception: only a SIGKILL loses the last lines. Writes stay synchronous, so lines are never
 * reordered. One destination for the process: every app built in it (tests build many) shares it.
 */
function bufferedStdout(): BatchedLines {
  if (stdoutLines === undefined) {
    // sonic-boom writes each batch at once (minLength 0), retrying short writes and a full pipe.
    const destination = pino.destination({ dest: 1, sync: true });
    const lines = new BatchedLines(destination, 4096);
    setInterval(() => lines.flush(), logFlushIntervalMs).unref();
    process.once('exit', () => lines.flush());
    stdoutLines = lines;
  }
  return stdoutLines;
}

/**
 * Log lines gathered in an array and handed to the destination as one string once they reach `batchLength`
 * characters (or at `flush`). sonic-boom can batch by itself (its minLength), but it appends each line to the
 * pending string and measures that whole string's UTF-8 length on every write. Beyond building the line, that cost
 * 1.8 µs a request line with a 4 KB batch, against 0.6 µs this way, the write included (docs/benchmarks.md, sixth
 * pass).
 */
export class BatchedLines {
  private lines: string[] = [];
  private length = 0;

  constructor(
    private readonly destination: { write(text: string): unknown },
    private readonly batchLength: number,
  ) {}

  write(line: string): boolean {
    this.lines.push(line);
    this.length += line.length;
    if (this.length >= this.batchLength) this.flush();
    return true;
  }

  /** Writes what is held; `done` (pino's `logger.flush(done)` passes one) is called once it is written. */
  flush(done?: (error?: Error) => void): void {
    if (this.lines.length > 0) {
      const text = this.lines.join('');
      this.lines = [];
      this.length = 0;
      this.destination.write(text);
    }
    done?.();
  }
}
