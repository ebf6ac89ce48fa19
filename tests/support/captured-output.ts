// Output streams for a command run in-process (the CLIs take stdout/stderr), with what each received.
import { PassThrough } from 'node:stream';

/** stdout and stderr for a command run in-process, with what each received. */
export function capturedOutput() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const text = { out: '', err: '' };
  stdout.on('data', (d: Buffer) => {
    text.out += d.toString();
  });
  stderr.on('data', (d: Buffer) => {
    text.err += d.toString();
  });
  return { stdout, stderr, text };
}
