type LogFn = (details: object, message: string) => void;

/** The part of pino's logger that infrastructure uses, so tests can pass a silent or recording stand-in. */
export interface Logger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
};
