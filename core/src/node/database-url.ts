// Which PostgreSQL a process talks to: DATABASE_URL / database.url, else the embedded server.
import type { Settings } from '../config/settings-schema.ts';

export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'barstream';
export const EMBEDDED_DATABASE = 'barstream';

export function embeddedDatabaseUrl(port: number, database = EMBEDDED_DATABASE): string {
  return `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;
}

export function databaseUrl(settings: Settings): string {
  return settings.database.url ?? embeddedDatabaseUrl(settings.database.embedded_port);
}
