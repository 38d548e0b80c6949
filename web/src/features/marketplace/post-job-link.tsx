import { Link } from 'react-router';

/** The marketplace pages' main action, styled as a button. */
export function PostJobLink() {
  return (
    <Link className="button button-primary" to="/cleanings/new">
      Post a job
    </Link>
  );
}
