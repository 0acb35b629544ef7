/**
 * The frontend API's middleware, under the names routes.ts uses. Each lives in its own folder
 * under middleware/, with its test beside it.
 */
export { cors as fapiCors } from '../middleware/cors/index.js';
export { checkOrigin } from '../middleware/origin-check/index.js';
export { rateLimit } from '../middleware/rate-limit/index.js';
