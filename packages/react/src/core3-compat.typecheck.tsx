/**
 * Type-check only (never run): custom-flow code written for Clerk's two hook generations, with
 * only the import changed. If a name or return shape drifts from Clerk's, `npm run typecheck`
 * fails here. Core 3: `import { useSignIn } from '@clerk/react'`; legacy:
 * `import { useSignIn } from '@clerk/react/legacy'`.
 */
import { useSignIn } from './index.js';
import { useSignIn as useLegacySignIn } from './legacy.js';

export function Core3PasskeySignIn() {
  const { signIn, errors, fetchStatus } = useSignIn();
  const handle = async () => {
    const { error } = await signIn.passkey({ flow: 'discoverable' });
    if (error) return console.error(JSON.stringify(error, null, 2));
    if (signIn.status === 'complete') {
      await signIn.finalize({
        navigate: async ({ decorateUrl }) => {
          window.location.href = decorateUrl('/');
        },
      });
    }
  };
  return (
    <>
      <button disabled={fetchStatus === 'fetching'} onClick={handle}>Sign in with a passkey</button>
      {errors.fields.identifier && <p>{errors.fields.identifier.message}</p>}
      {errors.global?.map((e) => <p key={e.code}>{e.longMessage ?? e.message}</p>)}
    </>
  );
}

export function LegacyPasskeySignIn() {
  const { isLoaded, signIn, setActive } = useLegacySignIn();
  const handle = async () => {
    if (!isLoaded) return;
    const attempt = await signIn.authenticateWithPasskey({ flow: 'discoverable' });
    if (attempt.status === 'complete') await setActive({ session: attempt.createdSessionId });
  };
  return <button onClick={handle}>Sign in with a passkey</button>;
}
