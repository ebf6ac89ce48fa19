// Access control shared by web, broadcaster and `npm run keys` (docs/SECURITY.md).
export * from './api-key.ts';
export * from './api-key-store.ts';
export * from './api-key-verifier.ts';
export * from './auth-secret.ts';
export * from './signed-token.ts';
