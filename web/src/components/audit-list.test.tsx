import { render, screen, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { AuditList, type AuditEvent } from './audit-list';

const event = (over: Partial<AuditEvent>): AuditEvent => ({
  id: crypto.randomUUID(),
  created_at: '2026-11-22T08:00:00.000Z',
  event: 'login.succeeded',
  actor_type: 'user',
  actor_id: null,
  subject_id: '5d2a0000-0000-4000-8000-000000000001',
  session_id: null,
  ip: '203.0.113.9',
  user_agent: null,
  request_id: null,
  detail: null,
  ...over,
});

describe('AuditList', () => {
  test('names events in words, says who acted, and keeps a name it does not know as it is', () => {
    render(
      <AuditList
        label="Events"
        events={[event({ event: 'session.ended', actor_type: 'superuser', detail: { reason: 'revoked-by-superuser' } }), event({ event: 'mfa.something_new', actor_type: 'system' })]}
      />,
    );
    const items = within(screen.getByRole('list', { name: 'Events' })).getAllByRole('listitem');
    expect(items[0]?.textContent).toContain('Session ended by an administrator');
    expect(items[0]?.textContent).toContain('reason: revoked-by-superuser');
    expect(items[0]?.textContent).toContain('from 203.0.113.9');
    expect(items[1]?.textContent).toContain('mfa.something_new by Spruce');
    expect(items[0]?.textContent).not.toContain('account 5d2a');
  });

  test('shows the account each event is about in the admin console', () => {
    render(<AuditList label="Events" showSubject events={[event({})]} />);
    expect(screen.getByText(/account 5d2a0000-0000-4000-8000-000000000001/)).toBeTruthy();
  });
});
