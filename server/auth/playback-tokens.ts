/**
 * Signed playback links: the hook a venue's payment or login system needs. The API mints a
 * token for a stream, an expiry and optionally the viewer's address; a stream set to require
 * one admits a viewer only with a valid token, on every playback path (HLS playlists, parts and
 * segments; HTTP-FLV; RTMP play), through `auth/admission-policy.ts`.
 *
 * A token is `EXPIRY.BOUND.SIGNATURE`: the expiry in Unix seconds, `1` when it is bound to the
 * viewer's address (`0` otherwise), and the base64url HMAC-SHA256 of
 * `tally-play-v1\nSTREAM\nEXPIRY\nADDRESS` under the current secret. Two secrets verify during
 * a rotation (the current one and the one before), compared in constant time, both always
 * computed so timing does not say which matched. Tokens never reach a log: refusals carry a
 * reason, never the token.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { generateSecret } from './secrets.ts';

/** Where the secrets live, when they are not configured. */
export interface PlaybackSecretStore {
  getSetting(key: string): unknown;
  setSetting(key: string, value: unknown): void;
}

/** The secrets in use: `current` signs, both verify. */
export interface PlaybackSecrets {
  current: string;
  previous?: string;
}

/** A minted token and when it expires. */
export interface MintedToken {
  token: string;
  expiresAtMs: number;
}

/** Why a token was refused (for the log; never the token). */
export type TokenProblem = 'malformed' | 'expired' | 'bad signature';

const TOKEN_PATTERN = /^(\d{1,12})\.([01])\.([A-Za-z0-9_-]{43})$/;
const SETTING = 'playback_secrets';

/** The address as tokens bind it: IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is the IPv4 address. */
export function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

function sign(secret: string, stream: string, expiresAtS: number, address: string): Buffer {
  return createHmac('sha256', secret).update(`tally-play-v1\n${stream}\n${expiresAtS}\n${address}`, 'utf8').digest();
}

/** Mints and verifies playback tokens. */
export class PlaybackTokens {
  private secrets: PlaybackSecrets;
  private readonly store: PlaybackSecretStore;
  private readonly configured: boolean;
  private readonly now: () => number;

  /** With `configured` secrets (several origins share them) rotation is the operator's; otherwise they live in the store. */
  constructor(store: PlaybackSecretStore, configured?: Partial<PlaybackSecrets>, now: () => number = Date.now) {
    this.store = store;
    this.now = now;
    this.configured = configured?.current !== undefined;
    if (configured?.current) {
      this.secrets = { current: configured.current, ...(configured.previous ? { previous: configured.previous } : {}) };
      return;
    }
    const stored = store.getSetting(SETTING) as PlaybackSecrets | undefined;
    this.secrets = typeof stored?.current === 'string' ? stored : { current: generateSecret() };
    if (!stored) store.setSetting(SETTING, this.secrets);
  }

  /** Whether `rotate` may change the secrets (they are not configured). */
  get rotatable(): boolean {
    return !this.configured;
  }

  /** A new current secret; the old one keeps verifying until the next rotation. */
  rotate(): void {
    if (this.configured) throw new Error('playback secrets are configured; rotate them in the configuration');
    this.secrets = { current: generateSecret(), previous: this.secrets.current };
    this.store.setSetting(SETTING, this.secrets);
  }

  /** A token for `stream` valid for `ttlMs`, bound to `address` when given. */
  mint(stream: string, ttlMs: number, address?: string): MintedToken {
    const expiresAtS = Math.ceil((this.now() + ttlMs) / 1000);
    const bound = address !== undefined && address !== '';
    const signature = sign(this.secrets.current, stream, expiresAtS, bound ? normalizeAddress(address) : '');
    return { token: `${expiresAtS}.${bound ? 1 : 0}.${signature.toString('base64url')}`, expiresAtMs: expiresAtS * 1000 };
  }

  /** Checks a token presented for `stream` from `remoteAddress`: null when valid, else why not. */
  verify(token: string, stream: string, remoteAddress: string): TokenProblem | null {
    const match = TOKEN_PATTERN.exec(token);
    if (!match) return 'malformed';
    const expiresAtS = Number(match[1]);
    const address = match[2] === '1' ? normalizeAddress(remoteAddress) : '';
    const presented = Buffer.from(match[3]!, 'base64url');
    let valid = false;
    for (const secret of [this.secrets.current, this.secrets.previous ?? this.secrets.current]) {
      const expected = sign(secret, stream, expiresAtS, address);
      valid = (expected.length === presented.length && timingSafeEqual(expected, presented)) || valid;
    }
    if (!valid) return 'bad signature';
    return expiresAtS * 1000 <= this.now() ? 'expired' : null;
  }
}

/**
 * A playlist whose URIs carry `token` (init, segments, parts, the preload hint), so a player
 * that fetched the playlist with it fetches everything else with it too.
 */
export function withPlaybackToken(playlist: string, token: string): string {
  const query = `token=${encodeURIComponent(token)}`;
  const append = (uri: string) => `${uri}${uri.includes('?') ? '&' : '?'}${query}`;
  return playlist
    .split('\n')
    .map((line) =>
      line === '' ? line : line.startsWith('#') ? line.replace(/URI="([^"]+)"/g, (_, uri: string) => `URI="${append(uri)}"`) : append(line),
    )
    .join('\n');
}
