import type { Clock } from '../../src/core/clock.js';

/** A clock the test moves by hand: expiry (sessions, mfa_tokens) and TOTP time steps without waiting. */
export class ManualClock implements Clock {
  private offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}
