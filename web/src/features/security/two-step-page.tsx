import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/button';
import { ErrorAlert, SuccessNote } from '@/components/feedback';
import { TextField } from '@/components/field';
import { Page } from '@/components/page';
import { accountLinks, SectionNav } from '@/components/section-nav';
import { StepUpFields } from '@/components/step-up-fields';
import { useAuth, useCurrentUser } from '@/lib/auth';
import { fieldError } from '@/lib/errors';
import { confirmTotp, disableTotp, replaceRecoveryCodes, startTotp, type TotpEnrolment } from './api';
import { useStepUp } from './use-step-up';

/**
 * The QR code as an image. The API sends an SVG document; shown through <img> from a data: URL it cannot run
 * script or touch the page, and the app's CSP allows data: images (img-src 'self' data:) while it forbids
 * inline markup styles, which an SVG pasted into the page would need.
 */
export function qrImageSource(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** Recovery codes, shown once: the API stores only their hashes. */
function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <section aria-labelledby="recovery-codes" className="stack">
      <h2 id="recovery-codes">Your recovery codes</h2>
      <SuccessNote>Save these ten codes somewhere safe now: this is the only time they are shown. Each works once, instead of a code from your app.</SuccessNote>
      <ol className="codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <Button variant="secondary" onClick={onDone}>
        I have saved them
      </Button>
    </section>
  );
}

/** Off: the password, then the QR code and the first code from the app; on success, the recovery codes. */
function TurnOn({ onCodes }: { onCodes: (codes: string[]) => void }) {
  const { refreshUser } = useAuth();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const start = useMutation({ mutationFn: () => startTotp(password), onSuccess: () => setPassword('') });
  const confirm = useMutation({
    mutationFn: () => confirmTotp(code.trim()),
    onSuccess: async (result) => {
      onCodes(result.recovery_codes);
      await refreshUser();
    },
  });
  const begin = (event: FormEvent) => {
    event.preventDefault();
    start.mutate();
  };
  const finish = (event: FormEvent) => {
    event.preventDefault();
    confirm.mutate();
  };
  if (!start.isSuccess) {
    return (
      <form onSubmit={begin} noValidate className="form">
        <p>Each log-in will also ask for a six-digit code from an authenticator app on your phone.</p>
        <ErrorAlert error={start.error} />
        <TextField label="Current password" name="current_password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} error={fieldError(start.error, 'current_password')} />
        <Button type="submit" busy={start.isPending}>
          Set up two-step verification
        </Button>
      </form>
    );
  }
  return <Enrol enrolment={start.data} code={code} setCode={setCode} onSubmit={finish} confirm={confirm} />;
}

function Enrol({
  enrolment,
  code,
  setCode,
  onSubmit,
  confirm,
}: {
  enrolment: TotpEnrolment;
  code: string;
  setCode: (code: string) => void;
  onSubmit: (event: FormEvent) => void;
  confirm: { error: unknown; isPending: boolean };
}) {
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <p>Scan this code with your authenticator app, then enter the six digits it shows.</p>
      <img className="qr" src={qrImageSource(enrolment.qr_svg)} alt="QR code to scan with your authenticator app" width={224} height={224} />
      <p>
        Cannot scan? Enter this key in the app: <code className="secret">{enrolment.secret}</code>
      </p>
      <ErrorAlert error={confirm.error} />
      <TextField label="Code from the app" name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6} required value={code} onChange={(e) => setCode(e.target.value)} error={fieldError(confirm.error, 'code')} />
      <Button type="submit" busy={confirm.isPending}>
        Turn on
      </Button>
    </form>
  );
}

/** On: new recovery codes, or turn it off; both need the password and a code (the step-up rule). */
function WhenOn({ onCodes }: { onCodes: (codes: string[]) => void }) {
  const { refreshUser } = useAuth();
  const regenerate = useStepUp();
  const off = useStepUp();
  const replace = useMutation({ mutationFn: () => replaceRecoveryCodes(requireCode(regenerate.body())), onSuccess: (r) => { regenerate.clear(); onCodes(r.recovery_codes); } });
  const disable = useMutation({ mutationFn: () => disableTotp(requireCode(off.body())), onSuccess: () => refreshUser() });
  return (
    <>
      <section aria-labelledby="new-codes">
        <h2 id="new-codes">New recovery codes</h2>
        <form onSubmit={(e) => { e.preventDefault(); replace.mutate(); }} noValidate className="form">
          <p>The old codes stop working.</p>
          <ErrorAlert error={replace.error} />
          <StepUpFields {...regenerate} fieldError={(field) => fieldError(replace.error, field)} />
          <Button type="submit" variant="secondary" busy={replace.isPending}>
            Make new recovery codes
          </Button>
        </form>
      </section>
      <section aria-labelledby="turn-off">
        <h2 id="turn-off">Turn off two-step verification</h2>
        <form onSubmit={(e) => { e.preventDefault(); disable.mutate(); }} noValidate className="form">
          <ErrorAlert error={disable.error} />
          <StepUpFields {...off} fieldError={(field) => fieldError(disable.error, field)} />
          <Button type="submit" variant="danger" busy={disable.isPending}>
            Turn off
          </Button>
        </form>
      </section>
    </>
  );
}

/** The second-factor forms always send a code: an empty one is the API's to refuse, beside its field. */
const requireCode = (body: { current_password: string; code?: string }) => ({ current_password: body.current_password, code: body.code ?? '' });

export function TwoStepPage() {
  const user = useCurrentUser();
  const [codes, setCodes] = useState<string[] | null>(null);
  return (
    <Page title="Two-step verification" narrow>
      <SectionNav label="Your account" links={accountLinks} />
      <p>
        Two-step verification is <strong>{user.mfa_enabled ? 'on' : 'off'}</strong>.
      </p>
      {codes !== null ? <RecoveryCodes codes={codes} onDone={() => setCodes(null)} /> : user.mfa_enabled ? <WhenOn onCodes={setCodes} /> : <TurnOn onCodes={setCodes} />}
    </Page>
  );
}
