import type { Logger } from '../../../src/infra/logger.js';

export interface LogEntry {
  level: keyof Logger;
  details: object;
  message: string;
}

export function recordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const record = (level: keyof Logger) => (details: object, message: string) => {
    entries.push({ level, details, message });
  };
  return { entries, info: record('info'), warn: record('warn'), error: record('error') };
}
