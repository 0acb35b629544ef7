/**
 * Compile-only check (never bundled, never run): the passkey custom-flow guide's components,
 * with only their imports changed from @clerk/clerk-react, must type-check against our exports.
 * `npx tsc -p packages/react/tsconfig.json` fails if a rename or signature change breaks them.
 */
import { useRef, useState } from 'react';
import { useSignIn, useUser, type PasskeyResource } from './index.js';

export function CreatePasskeyButton() {
  const { isSignedIn, user } = useUser();
  const createClerkPasskey = async () => {
    if (!isSignedIn) return;
    try {
      await user?.createPasskey();
    } catch (err) {
      console.error('Error:', JSON.stringify(err, null, 2));
    }
  };
  return <button onClick={createClerkPasskey}>Create a passkey</button>;
}

export function SignInWithPasskeyButton() {
  const { signIn, setActive } = useSignIn();
  const signInWithPasskey = async () => {
    try {
      const signInAttempt = await signIn?.authenticateWithPasskey({ flow: 'discoverable' });
      if (signInAttempt?.status === 'complete') {
        await setActive({ session: signInAttempt.createdSessionId });
      } else {
        console.error(JSON.stringify(signInAttempt, null, 2));
      }
    } catch (err) {
      console.error('Error:', JSON.stringify(err, null, 2));
    }
  };
  return <button onClick={signInWithPasskey}>Sign in with a passkey</button>;
}

/** The newer guide's form: `setActive` with a client-side `navigate` callback. */
export function SignInWithPasskeyNavigate({ push }: { push: (path: string) => void }) {
  const { signIn, setActive } = useSignIn();
  const signInWithPasskey = async () => {
    const signInAttempt = await signIn?.authenticateWithPasskey({ flow: 'discoverable' });
    if (signInAttempt?.status === 'complete') {
      await setActive({
        session: signInAttempt.createdSessionId,
        navigate: async ({ session }) => {
          if (session.id) push('/');
        },
      });
    }
  };
  return <button onClick={signInWithPasskey}>Sign in with a passkey</button>;
}

export function RenamePasskeyUI() {
  const { user } = useUser();
  const passkeyToUpdateId = useRef<HTMLInputElement>(null);
  const newPasskeyName = useRef<HTMLInputElement>(null);
  const [success, setSuccess] = useState(false);
  const renamePasskey = async () => {
    try {
      const passkeyToUpdate = user?.passkeys?.find((pk: PasskeyResource) => pk.id === passkeyToUpdateId.current?.value);
      await passkeyToUpdate?.update({ name: newPasskeyName.current?.value });
      setSuccess(true);
    } catch (err) {
      console.error('Error:', JSON.stringify(err, null, 2));
      setSuccess(false);
    }
  };
  return (
    <>
      <ul>
        {user?.passkeys.map((pk: PasskeyResource) => (
          <li key={pk.id}>
            Name: {pk.name} | ID: {pk.id}
          </li>
        ))}
      </ul>
      <input ref={passkeyToUpdateId} type="text" />
      <input ref={newPasskeyName} type="text" />
      <button onClick={renamePasskey}>Rename passkey</button>
      <p>Passkey updated: {success ? 'Yes' : 'No'}</p>
    </>
  );
}

export function DeletePasskeyUI() {
  const { user } = useUser();
  const passkeyToDeleteId = useRef<HTMLInputElement>(null);
  const deletePasskey = async () => {
    const passkeyToDelete = user?.passkeys?.find((pk: any) => pk.id === passkeyToDeleteId.current?.value);
    await passkeyToDelete?.delete();
  };
  return <button onClick={deletePasskey}>Delete passkey</button>;
}
