/**
 * Why a destination's connection failed, in words a creator can act on, with the code kept
 * in brackets for support: "nothing answers at 127.0.0.1:1935 (ECONNREFUSED)" rather than
 * Node's "connect ECONNREFUSED 127.0.0.1:1935". Also says which failures a retry cannot fix
 * when a start's first connection meets them (a refused key, an untrusted certificate, an
 * unknown host).
 */
import { RtmpConnectError, RtmpStatusError, type RtmpConnectStage } from '../../../net/rtmp/client.ts';

/** A failure explained. */
export interface ConnectionFailure {
  /** What the destination row shows. */
  reason: string;
  /** The server or the network refused this destination as it is set: on a start's first connection, retrying cannot help. */
  refusal: boolean;
}

/** The server as the destination's URL names it. */
export interface ServerAddress {
  host: string;
  port: number;
}

type Explain = (server: ServerAddress, stage: RtmpConnectStage | null) => ConnectionFailure;

const ADD_CA = "add the venue's certificate authority to this destination";
const refused =
  (reason: string): Explain =>
  () => ({ reason, refusal: true });
const SELF_SIGNED = refused(`the server's certificate is not trusted (self-signed); ${ADD_CA}`);
const UNKNOWN_AUTHORITY = refused(`the server's certificate is not trusted (signed by an unknown authority); ${ADD_CA}`);
const CLOSED: Explain = () => ({ reason: 'the server closed the connection', refusal: false });
const UNREACHABLE: Explain = ({ host }) => ({ reason: `${host} cannot be reached from this network`, refusal: false });

/** Plain reasons by error code (Node's socket, DNS and TLS codes; OpenSSL's certificate codes). */
const REASONS: Record<string, Explain> = {
  ECONNREFUSED: ({ host, port }) => ({ reason: `nothing answers at ${hostPort(host, port)}`, refusal: false }),
  ENOTFOUND: ({ host }) => ({ reason: `the server name ${host} was not found`, refusal: true }),
  EAI_AGAIN: ({ host }) => ({ reason: `the server name ${host} could not be looked up: is this computer online?`, refusal: false }),
  ETIMEDOUT: ({ host, port }) => ({ reason: `${hostPort(host, port)} did not answer in time`, refusal: false }),
  EHOSTUNREACH: UNREACHABLE,
  ENETUNREACH: UNREACHABLE,
  ECONNRESET: (server, stage) =>
    stage === 'tls'
      ? { reason: 'the server closed the connection during the TLS handshake: is it an rtmps:// server?', refusal: true }
      : CLOSED(server, stage),
  EPIPE: CLOSED,
  ERR_SSL_WRONG_VERSION_NUMBER: refused('the server does not speak TLS: is it an rtmp:// server?'),
  ERR_SOCKET_BAD_PORT: refused('port must be 1-65535'),
  DEPTH_ZERO_SELF_SIGNED_CERT: SELF_SIGNED,
  SELF_SIGNED_CERT_IN_CHAIN: SELF_SIGNED,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: UNKNOWN_AUTHORITY,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: UNKNOWN_AUTHORITY,
  UNABLE_TO_GET_ISSUER_CERT: UNKNOWN_AUTHORITY,
  CERT_HAS_EXPIRED: refused("the server's certificate has expired"),
  CERT_NOT_YET_VALID: refused("the server's certificate is not valid yet: is this computer's clock right?"),
  ERR_TLS_CERT_ALTNAME_INVALID: ({ host }) => ({ reason: `the server's certificate is not for ${host}`, refusal: true }),
};

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Explains `error` from connecting, publishing or streaming to `server`. */
export function explainConnectionFailure(error: unknown, server: ServerAddress): ConnectionFailure {
  // The server's own answer (`onStatus`/`_error`) is already in words: "NetStream.Publish.BadName: Invalid stream key".
  if (error instanceof RtmpStatusError) return { reason: error.message, refusal: true };
  if (!(error instanceof Error)) return { reason: String(error), refusal: false };
  const raw = (error as { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : null;
  const explain = code ? REASONS[code] : undefined;
  if (!explain) return { reason: code && !error.message.includes(code) ? `${error.message} (${code})` : error.message, refusal: false };
  const { reason, refusal } = explain(server, error instanceof RtmpConnectError ? error.stage : null);
  return { reason: `${reason} (${code})`, refusal };
}
