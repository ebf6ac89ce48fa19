// Replaced by the embedded-PostgreSQL setup.
export default async function setup(): Promise<void> {}
