export {
  authenticateRequest,
  createTokenVerifier,
  sessionTokenFromRequest,
  TokenVerificationError,
  type RequestAuth,
  type SessionClaims,
  type TokenErrorCode,
  type VerifierOptions,
} from './verify-token.js';
export { honoAuth, nodeAuth, withAuth, type AuthState, type Verify } from './middleware.js';
export { latchkeyMiddleware, type NextMiddlewareOptions } from './next.js';
export {
  createLatchkeyClient,
  type ClientOptions,
  type Deleted,
  type LatchkeyClient,
  type Page,
  type PageParams,
  type Passkey,
  type Session,
  type SessionStatus,
  type User,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEventType,
} from './client.js';
export { ERROR_CODES, LatchkeyApiError, type ApiErrorEntry, type LatchkeyErrorCode } from './errors.js';
export { verifyWebhook, WebhookVerificationError, type WebhookErrorCode, type WebhookEvent } from './webhooks.js';
