import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A page's heading, also its document title. Focus moves to the heading when a page opens, so keyboard and
 * screen-reader users start at the new page's top rather than on the link they just followed.
 */
export function Page({ title, actions, children, narrow = false }: { title: string; actions?: ReactNode; children: ReactNode; narrow?: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Spruce`;
    heading.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <section className={narrow ? 'page page-narrow' : 'page'}>
      <header className="page-header">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions !== undefined && <div className="page-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}
