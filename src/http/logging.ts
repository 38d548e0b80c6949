import { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import pino from 'pino';
import type { Config } from '../config/config.js';

/** Readable logs for a person at a terminal in development; JSON for machines everywhere else. */
export function usesPrettyLogs(config: Pick<Config, 'logFormat' | 'env'>, stdoutIsTerminal = process.stdout.isTTY === true): boolean {
  return config.logFormat === 'pretty' || (config.logFormat === 'auto' && config.env === 'development' && stdoutIsTerminal);
}

/**
 * Fastify's logger options. Pretty output goes through pino-pretty as a pino transport, so that module is only
 * loaded (in its own worker thread) when pretty logs are on: production start-up never pays for it. Pretty mode
 * also replaces Fastify's two lines per request with one (see registerRequestLine).
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
    logController: new LogController({ disableRequestLogging: true }),
  };
}

/** How long an info line may wait in the buffer before it is written. */
export const logFlushIntervalMs = 100;
const warnLevel = 40;

let stdoutDestination: ReturnType<typeof pino.destination> | undefined;

/**
 * Standard output for JSON logs, written in batches of up to 4 KB rather than with one write system call per
 * line: two info lines per request made those calls a measurable share of a small request's cost. Info lines wait
 * at most logFlushIntervalMs; warnings and errors flush at once (see loggerOptions), and so does exiting, also
 * after an uncaught exception: only a SIGKILL loses the last lines. Writes stay synchronous, so lines are never
 * reordered. One destination for the process: every app built in it (tests build many) shares it.
 */
function bufferedStdout(): ReturnType<typeof pino.destination> {
  if (stdoutDestination === undefined) {
    const destination = pino.destination({ dest: 1, sync: true, minLength: 4096, periodicFlush: logFlushIntervalMs });
    process.once('exit', () => destination.flush());
    stdoutDestination = destination;
  }
  return stdoutDestination;
}

/** In pretty mode: `GET /todos 200 3.2 ms`, one line per request, when the response is sent. */
export function registerRequestLine(app: FastifyInstance, config: Config): void {
  if (!usesPrettyLogs(config)) return;
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(`${request.method} ${request.url} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)} ms`);
  });
}
