// `npm run start -w web`: `next start` on the configured address (settings web.host / web.port,
// overridden by WEB_HOST / WEB_PORT), with the Node flags npm start's supervisor gives the server.
// Without this, `next start` binds every interface on port 3000 whatever the settings say.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@barstream/core/node';
import { WEB_NODE_FLAGS } from '../node-flags.ts';

const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const nextBin = join(dirname(createRequire(import.meta.url).resolve('next/package.json')), 'dist/bin/next');
const { host, port } = loadConfig().settings.web;

const child = spawn(process.execPath, [...WEB_NODE_FLAGS, nextBin, 'start', '-p', String(port), '-H', host], {
  cwd: webDir,
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  stdio: 'inherit',
});
// The server stops the way this process is asked to; this one exits as the server did.
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, () => {
    child.kill(signal);
  });
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
