// Control messages (resync, error, pong, subscribed) checked against the protocol schema and
// encoded once, so a resync to every client is one JSON.stringify and one Buffer.
import { serverControlMessageSchema, type ServerControlMessage } from '@barstream/core';

/** Throws (a bug, not bad input) when the message does not match the documented protocol. */
export function encodeControl(message: ServerControlMessage): Buffer {
  return Buffer.from(JSON.stringify(serverControlMessageSchema.parse(message)), 'utf8');
}
