/**
 * `@latchkey/react/legacy`: the hooks as they were before Clerk's Core 3, for code written
 * against `@clerk/react/legacy` (or `@clerk/clerk-react` 5): change the import, nothing else.
 * @example import { useSignIn } from '@latchkey/react/legacy'
 * const { isLoaded, signIn, setActive } = useSignIn()
 */
export { useLegacySignIn as useSignIn, useSignUp } from './hooks.js';
export type { UseLegacySignInReturn as UseSignInReturn, UseSignUpReturn, SetActive } from './hooks.js';
