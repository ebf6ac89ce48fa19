// Preloaded (`node --import`) into every process `npm start` supervises: when the supervisor is gone
// (kill -9 leaves no chance to stop its children, which run in process groups of their own), the
// process stops itself with SIGTERM, its normal graceful stop, instead of running on orphaned and
// holding its ports. Plain JavaScript: it runs before any TypeScript loader.
const parent = process.ppid;
/** How soon an orphan notices; a check is one system call. */
const CHECK_MS = 500;

setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, CHECK_MS).unref();
