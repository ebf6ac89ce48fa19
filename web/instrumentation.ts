// Next.js instrumentation: runs once when the server starts. The whole configuration is validated
// then, as every service does, so a bad config/settings.yaml stops the server with its lines instead
// of failing requests; and the TRACE guard (web/lib/server/trace-guard.ts) and the /api/* gzip at
// zlib's fastest level (web/lib/server/api-gzip.ts) and the /api latency histogram
// (web/lib/server/api-timing.ts) are installed in the Node.js server, and the precompressed scripts
// answered from memory (web/lib/server/static-files.ts).
// NEXT_RUNTIME is how Next tells the runtimes apart (the documented pattern), not a setting; the
// edge build drops this branch, so it never sees the Node-only modules.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { validateConfigAtStart } = await import('./lib/server/validate-config-at-start.ts');
    validateConfigAtStart();
    const { installTraceGuard } = await import('./lib/server/trace-guard.ts');
    installTraceGuard();
    const { installApiGzip } = await import('./lib/server/api-gzip.ts');
    installApiGzip();
    const { installApiTiming } = await import('./lib/server/api-timing.ts');
    installApiTiming();
    const { installStaticFiles } = await import('./lib/server/static-files.ts');
    installStaticFiles();
  }
}
