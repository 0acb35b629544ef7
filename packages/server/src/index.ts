export { createApp } from './app.js';
export { buildDeps, startServer, startupBanner, type RunningServer, type StartOptions } from './server.js';
export { publishableKey } from './config/publishable-key.js';
export { clerkSdkKey } from './config/clerk-publishable-key.js';
export { exitOnStartupError, serveUntilSignalled } from './run.js';
export { loadConfig, ConfigError, type Config } from './config/index.js';
export { LatchkeyError, type ErrorCode } from './errors/index.js';
export type { InstanceSettings } from './settings/index.js';
export type { Deps } from './deps.js';
