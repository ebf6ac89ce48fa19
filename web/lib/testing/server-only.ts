// Unit tests import server modules outside Next.js, which alone resolves 'server-only'.
export {};
