import { createHash } from 'node:crypto';
import Bowser from 'bowser';
import type { Clock } from '../../core/clock.js';
import type { KnownClientsRepository } from './known-clients.repository.js';

/**
 * A user agent in a few words: "Firefox on Linux", or for a non-browser client its product name ("curl"). Browser
 * versions are left out on purpose: an update must not make a device look new.
 */
export function userAgentFamily(userAgent: string | null | undefined): string {
  const ua = (userAgent ?? '').trim();
  if (ua === '') return 'Unknown client';
  const parsed = Bowser.parse(ua);
  const browser = parsed.browser.name;
  if (browser) return parsed.os.name ? `${browser} on ${parsed.os.name}` : browser;
  return /^[^\s/]+/.exec(ua)?.[0]?.slice(0, 64) ?? 'Unknown client';
}

/**
 * Tells whether a log-in comes from a client (user-agent family and address) the account has not used before.
 * Only a hash of the pair is stored, so the table is no list of where people log in from.
 */
export class KnownClients {
  constructor(
    private readonly repository: KnownClientsRepository,
    private readonly clock: Clock,
  ) {}

  /** Whether the owner should hear of this log-in: a new client, on an account that has logged in before. */
  async isUnfamiliar(userId: string, family: string, ip: string): Promise<boolean> {
    const hash = createHash('sha256').update(`${family}\n${ip}`).digest('hex');
    const { isNew, knewOthers } = await this.repository.remember(userId, hash, new Date(this.clock.now()));
    return isNew && knewOthers;
  }
}
