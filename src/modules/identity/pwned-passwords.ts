import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';

/** Whether a password is known from data breaches. */
export interface BreachedPasswords {
  /** True only when the password is known to be breached; false when it is not, or when nobody could say. */
  isBreached(password: string): Promise<boolean>;
}

/**
 * Have I Been Pwned's Pwned Passwords range API (PWNED_PASSWORDS_URL): only the first five hex characters of the
 * password's SHA-1 leave the server (k-anonymity), the answer lists the suffixes sharing them, and padding hides
 * how many there really are (`Add-Padding`; padded lines carry a count of 0). The call gets one second: a slow
 * or failing service is logged and never stands between a person and their sign-up.
 */
export class PwnedPasswordsClient implements BreachedPasswords {
  private readonly rangeUrl: string;

  constructor(
    baseUrl: string,
    private readonly log: Pick<FastifyBaseLogger, 'warn'>,
    private readonly timeoutMs = 1000,
  ) {
    this.rangeUrl = `${baseUrl.replace(/\/+$/, '')}/range/`;
  }

  async isBreached(password: string): Promise<boolean> {
    const digest = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
    const prefix = digest.slice(0, 5);
    const suffix = digest.slice(5);
    let body: string;
    try {
      const response = await fetch(this.rangeUrl + prefix, {
        headers: { 'Add-Padding': 'true', 'User-Agent': 'Spruce' },
        // Covers the body too: a service that trickles its answer is cut off like one that never answers.
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) {
        await response.body?.cancel();
        this.log.warn({ status: response.status }, 'Pwned Passwords answered an error; the password was judged on the other rules');
        return false;
      }
      body = await response.text();
    } catch (error) {
      this.log.warn({ err: error }, 'Pwned Passwords did not answer in time; the password was judged on the other rules');
      return false;
    }
    for (const line of body.split('\n')) {
      const [candidate, count] = line.trim().split(':');
      if (candidate?.toUpperCase() === suffix && Number(count) > 0) return true;
    }
    return false;
  }
}
