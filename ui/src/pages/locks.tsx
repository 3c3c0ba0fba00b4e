import type { ReactNode } from 'react';

export function LocksPage(_props: { namespace?: string; name?: string }): ReactNode {
  return <h1>LocksPage</h1>;
}
