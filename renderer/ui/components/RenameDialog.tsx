/** Asks for a name (a new collection, a source's new name), or asks to confirm. */
import { useState } from 'react';
import { Dialog } from './Dialog.tsx';
import { Field } from './fields.tsx';

export function RenameDialog({
  title,
  label,
  value,
  onDone,
}: {
  title: string;
  label: string;
  value: string;
  onDone: (name: string | null) => void;
}) {
  const [name, setName] = useState(value);
  const ok = name.trim().length > 0;
  return (
    <Dialog
      title={title}
      onClose={() => onDone(null)}
      footer={
        <>
          <button type="button" onClick={() => onDone(null)}>
            Cancel
          </button>
          <button type="submit" form="rename-form" className="primary" disabled={!ok}>
            OK
          </button>
        </>
      }
    >
      <form
        id="rename-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (ok) onDone(name.trim().slice(0, 200));
        }}
      >
        <Field label={label}>
          <input
            value={name}
            maxLength={200}
            onChange={(event) => setName(event.target.value)}
            ref={(input) => {
              if (input && document.activeElement !== input && !input.dataset.focused) {
                input.dataset.focused = 'yes';
                input.focus();
                input.select();
              }
            }}
          />
        </Field>
      </form>
    </Dialog>
  );
}

/** Asks before something that cannot be undone; the action's button says what it does. */
export function ConfirmDialog({
  title,
  message,
  action,
  onDone,
}: {
  title: string;
  message: string;
  action: string;
  onDone: (confirmed: boolean) => void;
}) {
  return (
    <Dialog
      title={title}
      onClose={() => onDone(false)}
      footer={
        <>
          <button type="button" onClick={() => onDone(false)}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={() => onDone(true)}>
            {action}
          </button>
        </>
      }
    >
      <p>{message}</p>
    </Dialog>
  );
}
