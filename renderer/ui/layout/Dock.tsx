/** A dock: a landmark region named after it, with a title bar, optional tools, and a body that scrolls. */
import type { ReactNode } from 'react';

export interface DockProps {
  title: string;
  /** Buttons at the right of the title bar. */
  tools?: ReactNode;
  children: ReactNode;
  /** Buttons along the bottom, as OBS's dock toolbars. */
  footer?: ReactNode;
}

export function Dock({ title, tools, children, footer }: DockProps) {
  return (
    <section className="dock" aria-label={title}>
      <header className="dock-title">
        <h2>{title}</h2>
        {tools && <div className="dock-tools">{tools}</div>}
      </header>
      <div className="dock-body">{children}</div>
      {footer && <footer className="dock-toolbar">{footer}</footer>}
    </section>
  );
}
