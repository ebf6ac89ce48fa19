// The venue frames a bench:ingest wire run sends, each behind its transport's header, concatenated into
// chunks of about a given size: how both transports (the pipe's length prefix, the WebSocket's frame header)
// write a run's pre-rendered frames.

/** Each frame's UTF-8 text behind `headerFor(its byte length)`, in chunks of at least `chunkBytes` (the last less). */
export function framedChunks(frames: readonly string[], chunkBytes: number, headerFor: (payloadBytes: number) => Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  let parts: Buffer[] = [];
  let size = 0;
  for (const frame of frames) {
    const payload = Buffer.from(frame, 'utf8');
    const header = headerFor(payload.length);
    parts.push(header, payload);
    size += header.length + payload.length;
    if (size >= chunkBytes) {
      chunks.push(Buffer.concat(parts, size));
      parts = [];
      size = 0;
    }
  }
  if (size > 0) chunks.push(Buffer.concat(parts, size));
  return chunks;
}
