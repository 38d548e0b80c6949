import type { Transaction } from 'kysely';
import type { Static } from 'typebox';
import type { Clock } from '../../core/clock.js';
import type { RequestContext } from '../../core/request-context.js';
import { ConflictError, invalidInput, NotAuthenticatedError, RequestRefusedError, ThrottledError } from '../../core/errors.js';
import { isUniqueViolation } from '../../db/errors.js';
import { isUuid, type Database } from '../../db/schema.js';
import type { AuditLog } from '../audit/audit.service.js';
import { notFound } from './account-updater.js';
import { AccountErrorCode } from './error-codes.js';
import { passwordFingerprint, type MfaChallenges } from './mfa-challenges.js';
import type { RequestThrottle } from './request-throttle.js';
import type { SecondFactorRepository } from './second-factor.repository.js';
import type { RecoveryCodes, TotpEnrolment } from './second-factor.schemas.js';
import type { SecretBox } from './secret-box.js';
import type { ClientInfo, TokenPair } from './sessions.service.js';
import { looksLikeTotpCode, newRecoveryCodes, newTotpSecret, qrCodeSvg, recoveryCodeHash, totpStepOf, totpUri } from './totp.js';
import type { User, UsersRepository } from './users.repository.js';
import type { UsersService } from './users.service.js';

export interface SecondFactorDeps {
  repository: SecondFactorRepository;
  users: UsersService;
  usersRepository: UsersRepository;
  /** Encrypts TOTP secrets at rest (a key of its own, derived from SECRET_KEY). */
  secrets: SecretBox;
  challenges: MfaChallenges;
  /** Wrong codes per account (every try is counted first; a right one is refunded). */
  codeThrottle: RequestThrottle;
  audit: AuditLog;
  clock: Clock;
  /** The service named in authenticator apps (TOTP_ISSUER). */
  issuer: string;
}

/** The proof a sensitive change asks for: the current password, and a code when TOTP is on. */
export interface StepUpProof {
  currentPassword?: string | undefined;
  /** A TOTP code, or a recovery code (anything not shaped as six digits). */
  code?: string | undefined;
}

export type CodeMethod = 'totp' | 'recovery-code';
type CodePurpose = 'login' | 'step-up' | 'confirm';

/** A code that was wrong, inside a transaction that must roll back; reported once it has. */
class WrongCode extends Error {}

const codeInvalid = () => new RequestRefusedError(AccountErrorCode.MFA_CODE_INVALID);
const tokenInvalid = () => new NotAuthenticatedError(AccountErrorCode.MFA_TOKEN_INVALID);
const codeThrottleAction = 'second-factor-code';

/**
 * TOTP (RFC 6238) as a second factor: enrolment, confirmation with recovery codes, turning it off, the second
 * step of a log-in, and the step-up proof of sensitive changes. Every code is accepted once: a TOTP code's time
 * step must be later than the last one accepted (a conditional UPDATE), a recovery code is spent by one. Wrong
 * codes are counted per account in the shared store, whichever route they come through.
 */
export class SecondFactorService {
  constructor(private readonly deps: SecondFactorDeps) {}

  private now(): Date {
    return new Date(this.deps.clock.now());
  }

  private async account(userId: string): Promise<User> {
    return (await this.deps.usersRepository.findById(userId)) ?? Promise.reject(new NotAuthenticatedError());
  }

  /** The step-up proof of a change made elsewhere (ending every other session): the caller's account, then assertStepUp. */
  async proveStepUp(userId: string, proof: StepUpProof, address: string, wrongPassword: AccountErrorCode, context: RequestContext | null): Promise<void> {
    await this.assertStepUp(await this.account(userId), proof, address, wrongPassword, context);
  }

  /** Starts (or restarts) an enrolment: a new secret, not in force until confirmed with a code from it. */
  async startEnrolment(userId: string, currentPassword: string, address: string, context: RequestContext | null): Promise<Static<typeof TotpEnrolment>> {
    const user = await this.account(userId);
    if (user.mfaEnabled) throw new ConflictError(AccountErrorCode.MFA_ALREADY_ENABLED);
    await this.assertPassword(user, currentPassword, address, AccountErrorCode.MFA_INVALID_CURRENT_PASSWORD, context);
    const secret = newTotpSecret();
    const sealed = this.deps.secrets.seal(secret, user.id);
    try {
      const started = await this.deps.repository.transaction(async (trx) => {
        if (!(await this.deps.repository.replacePending(user.id, sealed, this.now(), trx))) return false;
        await this.deps.audit.record('mfa.enrolment_started', { subjectId: user.id }, context, trx);
        return true;
      });
      if (!started) throw new ConflictError(AccountErrorCode.MFA_ALREADY_ENABLED);
    } catch (error) {
      // Two enrolments of one account at the same moment: the primary key keeps one.
      if (isUniqueViolation(error)) throw new ConflictError(AccountErrorCode.MFA_ALREADY_ENABLED);
      throw error;
    }
    const uri = totpUri(secret, this.deps.issuer, user.email ?? user.username);
    return { secret, uri, qr_svg: await qrCodeSvg(uri) };
  }

  /** The first code from the app turns TOTP on; answers the recovery codes, which are never shown again. */
  async confirm(userId: string, code: string, context: RequestContext | null): Promise<Static<typeof RecoveryCodes>> {
    const user = await this.account(userId);
    if (user.mfaEnabled) throw new ConflictError(AccountErrorCode.MFA_ALREADY_ENABLED);
    const factor = await this.deps.repository.findFactor(user.id);
    if (factor === null || factor.enabledAt !== null) throw new ConflictError(AccountErrorCode.MFA_ENROLMENT_NOT_STARTED);
    await this.countTry(user, 'confirm', context);
    const secret = this.deps.secrets.open(factor.secretCiphertext, user.id);
    const step = secret === null ? null : totpStepOf(secret, code, this.deps.clock.now());
    if (step === null) {
      await this.deps.audit.record('mfa.challenge_failed', { subjectId: user.id, detail: { purpose: 'confirm' } }, context);
      throw codeInvalid();
    }
    const codes = newRecoveryCodes();
    const confirmed = await this.deps.repository.transaction(async (trx) => {
      const at = this.now();
      if (!(await this.deps.repository.confirm(user.id, factor.secretCiphertext, step, at, trx))) return false;
      await this.deps.repository.replaceRecoveryCodes(user.id, codes.map(recoveryCodeHash), at, trx);
      await this.deps.audit.record('mfa.enabled', { subjectId: user.id }, context, trx);
      return true;
    });
    if (!confirmed) throw new ConflictError(AccountErrorCode.MFA_ENROLMENT_NOT_STARTED);
    await this.refundTry(user);
    await this.deps.users.notify({ ...user, mfaEnabled: true }, 'mfa-enabled', context);
    return { recovery_codes: codes };
  }

  /** Turns TOTP off; needs the current password and a code (TOTP or recovery). */
  async disable(userId: string, proof: StepUpProof, address: string, context: RequestContext | null): Promise<void> {
    const user = await this.account(userId);
    if (!user.mfaEnabled) throw new ConflictError(AccountErrorCode.MFA_NOT_ENABLED);
    await this.assertStepUp(user, proof, address, AccountErrorCode.MFA_INVALID_CURRENT_PASSWORD, context);
    await this.removeFactor(user, 'mfa.disabled', context);
    await this.deps.users.notify({ ...user, mfaEnabled: false }, 'mfa-disabled', context);
  }

  /** A superuser turns a user's TOTP off (a lost phone); the user is told. Who may call it is for the route. */
  async disableBySuperuser(targetId: string, context: RequestContext | null): Promise<void> {
    // A malformed id names no account (and never reaches PostgreSQL's uuid parser).
    const user = isUuid(targetId) ? await this.deps.usersRepository.findById(targetId.toLowerCase()) : null;
    if (user === null) throw notFound();
    if (!user.mfaEnabled) throw new ConflictError(AccountErrorCode.MFA_NOT_ENABLED);
    await this.removeFactor(user, 'mfa.disabled_by_superuser', context);
    await this.deps.users.notify({ ...user, mfaEnabled: false }, 'mfa-disabled-by-superuser', context);
  }

  private async removeFactor(user: User, event: 'mfa.disabled' | 'mfa.disabled_by_superuser', context: RequestContext | null): Promise<void> {
    await this.deps.repository.transaction(async (trx) => {
      await this.deps.repository.disable(user.id, this.now(), trx);
      await this.deps.audit.record(event, { subjectId: user.id }, context, trx);
    });
  }

  /** New recovery codes in place of all earlier ones; needs the current password and a code. */
  async replaceRecoveryCodes(userId: string, proof: StepUpProof, address: string, context: RequestContext | null): Promise<Static<typeof RecoveryCodes>> {
    const user = await this.account(userId);
    if (!user.mfaEnabled) throw new ConflictError(AccountErrorCode.MFA_NOT_ENABLED);
    await this.assertStepUp(user, proof, address, AccountErrorCode.MFA_INVALID_CURRENT_PASSWORD, context);
    const codes = newRecoveryCodes();
    await this.deps.repository.transaction(async (trx) => {
      await this.deps.repository.replaceRecoveryCodes(user.id, codes.map(recoveryCodeHash), this.now(), trx);
      await this.deps.audit.record('mfa.recovery_codes_replaced', { subjectId: user.id }, context, trx);
    });
    await this.deps.users.notify(user, 'recovery-codes-replaced', context);
    return { recovery_codes: codes };
  }

  /**
   * The proof a sensitive change needs: the current password (checked and throttled like a log-in), then, when
   * TOTP is on, a code. A missing field is a 422 naming it; a wrong password the route's own code; a wrong code
   * MFA_CODE_INVALID.
   */
  async assertStepUp(user: User, proof: StepUpProof, address: string, wrongPassword: AccountErrorCode, context: RequestContext | null): Promise<void> {
    if (proof.currentPassword === undefined) throw invalidInput([{ loc: ['body', 'current_password'], msg: 'Field required', type: 'missing' }]);
    if (user.mfaEnabled && proof.code === undefined) throw invalidInput([{ loc: ['body', 'code'], msg: 'Field required (two-step verification is on)', type: 'missing' }]);
    await this.assertPassword(user, proof.currentPassword, address, wrongPassword, context);
    if (!user.mfaEnabled || proof.code === undefined) return;
    await this.countTry(user, 'step-up', context);
    const method = await this.spendCode(user, proof.code, context);
    if (method === null) {
      await this.deps.audit.record('mfa.challenge_failed', { subjectId: user.id, detail: { purpose: 'step-up' } }, context);
      throw codeInvalid();
    }
    await this.refundTry(user);
    await this.codeSpent(user, method, context);
  }

  /**
   * The second step of a log-in: the mfa_token of the first and a code. Answers what a log-in answers (the
   * session starts here, with the code spent and the token taken in its transaction), and whether the log-in
   * asked for the refresh cookie.
   */
  async completeLogIn(
    mfaToken: string,
    code: { totp?: string | undefined; recoveryCode?: string | undefined },
    client: ClientInfo,
    context: RequestContext | null,
  ): Promise<{ pair: TokenPair; refreshCookie: boolean }> {
    const typed = code.totp ?? code.recoveryCode;
    if (typed === undefined || (code.totp !== undefined && code.recoveryCode !== undefined)) {
      throw invalidInput([{ loc: ['body', 'code'], msg: 'Send either code (from the authenticator app) or recovery_code', type: 'missing' }]);
    }
    const opened = await this.deps.challenges.open(mfaToken);
    if (!opened.ok) throw tokenInvalid();
    const { challenge } = opened;
    const user = await this.deps.usersRepository.findById(challenge.userId);
    // The account must still be the one whose password was checked: active, with TOTP, the same password.
    if (user === null || !user.isActive || !user.mfaEnabled || passwordFingerprint(user.hashedPassword) !== challenge.passwordFingerprint) {
      await this.deps.challenges.take(opened.key, opened.raw);
      throw tokenInvalid();
    }
    await this.countTry(user, 'login', context);
    let method = null as CodeMethod | null;
    let pair: TokenPair;
    try {
      pair = await this.deps.users.startSession(user, client, context, async (trx) => {
        method = code.totp !== undefined ? await this.spendTotp(user, code.totp, trx) : await this.spendRecovery(user, typed, trx);
        if (method === null) throw new WrongCode();
        // Taken last, so a wrong code leaves the token for another try; of two right codes at once, one wins.
        if (!(await this.deps.challenges.take(opened.key, opened.raw))) throw tokenInvalid();
        await this.deps.audit.record('mfa.login_succeeded', { subjectId: user.id, detail: { method } }, context, trx);
        if (method === 'recovery-code') await this.recordRecoveryUse(user, context, trx);
      });
    } catch (error) {
      if (!(error instanceof WrongCode)) throw error;
      const dead = await this.deps.challenges.failed(opened.key, opened.tries);
      await this.deps.audit.record('mfa.challenge_failed', { subjectId: user.id, detail: { purpose: 'login', tries: opened.tries } }, context);
      throw dead ? tokenInvalid() : codeInvalid();
    }
    await this.refundTry(user);
    if (method === 'recovery-code') await this.notifyRecoveryUse(user, context);
    return { pair, refreshCookie: challenge.refreshCookie };
  }

  /** Counts a code try against the account before it is checked: 429 (audited) past the limit. */
  private async countTry(user: User, purpose: CodePurpose, context: RequestContext | null): Promise<void> {
    try {
      await this.deps.codeThrottle.hit(codeThrottleAction, { account: user.id });
    } catch (error) {
      if (error instanceof ThrottledError) await this.deps.audit.record('mfa.challenge_throttled', { subjectId: user.id, detail: { purpose } }, context);
      throw error;
    }
  }

  private refundTry(user: User): Promise<void> {
    return this.deps.codeThrottle.refund(codeThrottleAction, { account: user.id });
  }

  /** A six-digit code is a TOTP code; anything else a recovery code. Null when it is wrong or already used. */
  private spendCode(user: User, code: string, context: RequestContext | null): Promise<CodeMethod | null> {
    return this.deps.repository.transaction(async (trx) => {
      const method = looksLikeTotpCode(code) ? await this.spendTotp(user, code, trx) : await this.spendRecovery(user, code, trx);
      if (method === 'recovery-code') await this.recordRecoveryUse(user, context, trx);
      return method;
    });
  }

  private async spendTotp(user: User, code: string, trx: Transaction<Database>): Promise<CodeMethod | null> {
    const factor = await this.deps.repository.findFactor(user.id, trx);
    if (factor === null || factor.enabledAt === null) return null;
    const secret = this.deps.secrets.open(factor.secretCiphertext, user.id);
    const step = secret === null ? null : totpStepOf(secret, code, this.deps.clock.now());
    if (step === null) return null;
    return (await this.deps.repository.acceptStep(user.id, step, trx)) ? 'totp' : null;
  }

  private async spendRecovery(user: User, code: string, trx: Transaction<Database>): Promise<CodeMethod | null> {
    return (await this.deps.repository.spendRecoveryCode(user.id, recoveryCodeHash(code), this.now(), trx)) ? 'recovery-code' : null;
  }

  private async recordRecoveryUse(user: User, context: RequestContext | null, trx: Transaction<Database>): Promise<void> {
    const remaining = await this.deps.repository.countUnusedRecoveryCodes(user.id, trx);
    await this.deps.audit.record('mfa.recovery_code_used', { subjectId: user.id, detail: { remaining } }, context, trx);
  }

  private async notifyRecoveryUse(user: User, context: RequestContext | null): Promise<void> {
    const remaining = await this.deps.repository.countUnusedRecoveryCodes(user.id);
    await this.deps.users.notify(user, 'recovery-code-used', context, { detail: { remaining } });
  }

  private async codeSpent(user: User, method: CodeMethod, context: RequestContext | null): Promise<void> {
    if (method === 'recovery-code') await this.notifyRecoveryUse(user, context);
  }

  private async assertPassword(user: User, password: string, address: string, wrongPassword: AccountErrorCode, context: RequestContext | null): Promise<void> {
    const checked = await this.deps.users.checkPassword(user, { identifier: user.username, password, address }, context);
    if (checked === null || checked.id !== user.id) throw new RequestRefusedError(wrongPassword);
  }
}
