// Next.js instrumentation: runs once when the server starts. Installs the TRACE guard
// (web/lib/server/trace-guard.ts) in the Node.js server; NEXT_RUNTIME is how Next tells the
// runtimes apart (the documented pattern), not a setting.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { installTraceGuard } = await import('./lib/server/trace-guard.ts');
    installTraceGuard();
  }
}
