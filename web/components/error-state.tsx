// A readable failure message in place of content that could not be shown.
import type { ReactNode } from 'react';

export interface ErrorStateProps {
  readonly title: string;
  readonly message: string;
  readonly children?: ReactNode;
}

export function ErrorState({ title, message, children }: ErrorStateProps) {
  return (
    <div className="error-state" data-testid="error-state" role="alert">
      <strong>{title}</strong>
      <p>{message}</p>
      {children}
    </div>
  );
}
