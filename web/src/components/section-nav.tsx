import { NavLink } from 'react-router';

/** Tabs between the pages of one section (your account; the admin console), as plain links. */
export function SectionNav({ label, links }: { label: string; links: { to: string; text: string }[] }) {
  return (
    <nav className="section-nav" aria-label={label}>
      <ul>
        {links.map((link) => (
          <li key={link.to}>
            <NavLink to={link.to} end>
              {link.text}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export const accountLinks = [
  { to: '/account', text: 'Account' },
  { to: '/account/security', text: 'Email and password' },
  { to: '/account/two-step', text: 'Two-step verification' },
  { to: '/account/sessions', text: 'Sessions' },
  { to: '/account/activity', text: 'Activity' },
];

export const adminLinks = [
  { to: '/admin/users', text: 'Users' },
  { to: '/admin/audit', text: 'Audit log' },
  { to: '/admin/status', text: 'Service status' },
];
