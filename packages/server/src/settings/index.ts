/** Instance settings: the pure schema and rules (schema.ts) and the database-backed service (service.ts). */
export * from './schema.js';
export * from './service.js';
