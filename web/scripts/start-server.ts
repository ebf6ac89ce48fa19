// `npm run start -w web`: the production build's standalone server on the configured address
// (settings web.host / web.port, overridden by WEB_HOST / WEB_PORT), with the Node flags npm start's
// supervisor gives the server. Without this, server.js binds every interface on port 3000 whatever the
// settings say.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acceptNoArguments, CONFIG_USAGE } from '@barstream/core/command-line';

acceptNoArguments(`Usage: npm run start -w web   (npm start runs it for you)

Serves the web app's production build (web/.next/standalone, made by npm run build) on web.host:web.port
(WEB_HOST/WEB_PORT), with the Node flags npm start gives it. Stops on SIGTERM/SIGINT.
${CONFIG_USAGE}`);

// Loaded only past the arguments: `--help` answers without them (bench/cli-start.ts).
const [{ loadConfigOrExit }, { WEB_NODE_FLAGS }, { placeStandaloneStaticFiles, standaloneServerEnv, standaloneServerPath }] =
  await Promise.all([import('@barstream/core/node'), import('../node-flags.ts'), import('../standalone-server.ts')]);

const repoDir = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { host, port } = loadConfigOrExit().settings.web;

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
