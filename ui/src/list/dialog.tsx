// A modal on the native <dialog>: the browser traps focus, closes it on Escape and restores focus
// to what opened it, which a hand-made overlay would have to reimplement.
import { useEffect, useRef, type ReactNode } from 'react';
import './dialog.css';

export function Dialog(props: { open: boolean; onClose: () => void; title: string; className?: string; children: ReactNode }): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d || !props.open) return undefined;
    // The browser gives focus back when a dialog closes, but not when it is unmounted while open.
    const opener = document.activeElement;
    if (!d.open) d.showModal();
    return () => {
      if (d.open) d.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, [props.open]);
  return (
    <dialog ref={ref} className={`dialog ${props.className ?? ''}`} aria-label={props.title} onClose={props.onClose}>
      {props.open ? (
        <>
          <header className="dialog-head">
            <h2>{props.title}</h2>
            <button type="button" aria-label="Close" onClick={props.onClose}>
              ✕
            </button>
          </header>
          {props.children}
        </>
      ) : null}
    </dialog>
  );
}

/** Asks before something that cannot be undone; the safe choice has the focus. */
export function Confirm(props: { open: boolean; title: string; children: ReactNode; action: string; onConfirm: () => void; onCancel: () => void }): ReactNode {
  return (
    <Dialog open={props.open} onClose={props.onCancel} title={props.title} className="confirm">
      <div className="dialog-body">{props.children}</div>
      <footer className="dialog-foot">
        <button type="button" autoFocus onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" className="primary danger-fill" onClick={props.onConfirm}>
          {props.action}
        </button>
      </footer>
    </Dialog>
  );
}
