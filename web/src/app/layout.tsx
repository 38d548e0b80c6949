import { Link, NavLink, Outlet, ScrollRestoration } from 'react-router';
import { useAuth } from '@/lib/auth';

export function Layout() {
  const { user } = useAuth();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          Spruce
        </Link>
        <nav aria-label="Main">
          <ul>
            {user === null ? (
              <>
                <li>
                  <NavLink to="/log-in">Log in</NavLink>
                </li>
                <li>
                  <NavLink to="/sign-up">Sign up</NavLink>
                </li>
              </>
            ) : (
              <>
                <li>
                  <NavLink to="/cleanings" end>
                    Jobs
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/cleanings/mine">My jobs</NavLink>
                </li>
                <li>
                  <NavLink to="/todos">Todos</NavLink>
                </li>
                {user.is_superuser && (
                  <li>
                    <NavLink to="/admin/users">Admin</NavLink>
                  </li>
                )}
                <li>
                  <NavLink to="/account">{user.name}</NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
      </header>
      <main id="main">
        <Outlet />
      </main>
      <ScrollRestoration />
    </>
  );
}
