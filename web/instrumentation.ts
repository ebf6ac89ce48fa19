// Runs once when the web server starts: the whole configuration is validated then, as every service
// does, so a bad config/settings.yaml stops the server with its lines instead of failing requests.
export async function register(): Promise<void> {
  // The edge build drops this branch, so it never sees the Node-only module.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { validateConfigAtStart } = await import('./lib/server/validate-config-at-start.ts');
    validateConfigAtStart();
  }
}
