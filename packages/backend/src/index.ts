export {
  authenticateRequest,
  createTokenVerifier,
  sessionTokenFromRequest,
  TokenVerificationError,
  type SessionClaims,
  type TokenErrorCode,
  type VerifierOptions,
} from './verify-token.js';
