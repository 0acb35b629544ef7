export {
  authenticateRequest,
  createTokenVerifier,
  sessionTokenFromRequest,
  TokenVerificationError,
  type SessionClaims,
  type TokenErrorCode,
  type VerifierOptions,
} from './verify-token.js';
export { honoAuth, nodeAuth, withAuth, type AuthState, type Verify } from './middleware.js';
