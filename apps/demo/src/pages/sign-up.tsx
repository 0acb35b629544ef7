import { SignUp } from '@latchkey/react';
import type { ReactNode } from 'react';
import { push } from '../router';

export function SignUpPage(): ReactNode {
  return <SignUp afterSignUp={() => push('/')} />;
}
