import { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
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
  if (!usesPrettyLogs(config)) return { logger: { level: config.logLevel } };
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

/** In pretty mode: `GET /todos 200 3.2 ms`, one line per request, when the response is sent. */
export function registerRequestLine(app: FastifyInstance, config: Config): void {
  if (!usesPrettyLogs(config)) return;
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(`${request.method} ${request.url} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)} ms`);
  });
}
