// `npm run start -w web`: the production build's standalone server on the configured address
// (settings web.host / web.port, overridden by WEB_HOST / WEB_PORT), with the Node flags npm start's
// supervisor gives the server. Without this, server.js binds every interface on port 3000 whatever the
// settings say.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@barstream/core/node';
import { WEB_NODE_FLAGS } from '../node-flags.ts';
import { placeStandaloneStaticFiles, standaloneServerEnv, standaloneServerPath } from '../standalone-server.ts';

const repoDir = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { host, port } = loadConfig().settings.web;

placeStandaloneStaticFiles(repoDir);
const child = spawn(process.execPath, [...WEB_NODE_FLAGS, standaloneServerPath(repoDir)], {
  cwd: join(repoDir, 'web'),
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...standaloneServerEnv(host, port) },
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
