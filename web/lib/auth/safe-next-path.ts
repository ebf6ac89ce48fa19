// Where sign-in goes afterwards: a path on this site only (never `//host` or a URL), else /trends.
export function safeNextPath(next: string | undefined): string {
  if (next === undefined || !/^\/(?![/\\])/.test(next) || next.length > 2_000) return '/trends';
  return next;
}
