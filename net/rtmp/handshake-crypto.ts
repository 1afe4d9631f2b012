/** The platform crypto the RTMP handshake (`common/media/rtmp-handshake.ts`) asks for, from `node:crypto`. */
import { createHmac, randomBytes } from 'node:crypto';
import type { HandshakeCrypto } from '../../common/media/rtmp-handshake.ts';

/** HMAC-SHA256 and random bytes for the Flash-era digest handshake. */
export const nodeHandshakeCrypto: HandshakeCrypto = {
  hmacSha256: (key, data) => createHmac('sha256', key).update(data).digest(),
  randomBytes: (count) => randomBytes(count),
};
