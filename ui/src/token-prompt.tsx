// Shown when the server answers 401: paste the token `argot server` printed at start.
import { useState, type FormEvent, type ReactNode } from 'react';
import { setToken } from './auth';

export function TokenPrompt(props: { hadToken: boolean }): ReactNode {
  const [token, setValue] = useState('');
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (!token.trim()) return;
    setToken(token);
    // Every page and stream starts again with the cookie in place.
    window.location.reload();
  };
  return (
    <div className="token-prompt" role="dialog" aria-modal="true" aria-labelledby="token-title">
      <form onSubmit={submit}>
        <h2 id="token-title">This server needs a token</h2>
        {props.hadToken && (
          <p className="error" role="alert">
            The token given was not accepted.
          </p>
        )}
        <p className="muted">
          <code>argot server</code> printed it at start (<code>ARGOT_TOKEN=…</code>). It is kept in a cookie for this site.
        </p>
        <label>
          Bearer token{' '}
          <input type="password" autoFocus autoComplete="off" value={token} onChange={(e) => setValue(e.target.value)} />
        </label>{' '}
        <button type="submit" className="primary" disabled={!token.trim()}>
          Sign in
        </button>
      </form>
    </div>
  );
}
