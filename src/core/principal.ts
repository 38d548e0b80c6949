/**
 * What a request knows about its caller once the token checks out. Every feature that acts for a caller reads
 * it, so it belongs to none of them.
 */
export interface Principal {
  id: string;
  username: string;
  email: string | null;
  isActive: boolean;
  isSuperuser: boolean;
  isVerified: boolean;
  /** Epoch milliseconds; tokens issued before it are refused. */
  tokensValidAfter: number | null;
}
