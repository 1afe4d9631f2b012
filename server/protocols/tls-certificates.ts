/**
 * The origin's certificate and key (PEM files) for HTTPS, HTTP/2 and RTMPS. They are read at
 * start, and again on `reload()` (the CLI calls it on SIGHUP, after certbot or a CA renewed
 * them): every TLS listener gets the new secure context for new connections, while open ones
 * (live publishers and viewers) carry on with theirs. A reload that fails (a missing file, a key
 * that does not match) keeps the old certificate and says why.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from '../log.ts';

/** A PEM certificate chain and its private key. */
export interface CertificatePair {
  cert: Buffer;
  key: Buffer;
}

/** A listener whose certificate can be swapped (`tls.Server`, `http2.Http2SecureServer`). */
export interface SecureListener {
  setSecureContext(options: CertificatePair): void;
}

/** Reads a certificate and key, checking they load and match; throws a message naming the files otherwise. */
export function readCertificatePair(certFile: string, keyFile: string): CertificatePair {
  try {
    const pair = { cert: readFileSync(certFile), key: readFileSync(keyFile) };
    // node:tls only with a certificate: an origin without one does not load it (idle RSS).
    process.getBuiltinModule('node:tls').createSecureContext(pair);
    return pair;
  } catch (error) {
    throw new Error(
      `cannot use the certificate ${certFile} with the key ${keyFile}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** The certificate files and the listeners that serve them. */
export class TlsCertificates {
  private readonly certFile: string;
  private readonly keyFile: string;
  private readonly log: Logger;
  private readonly listeners: SecureListener[] = [];
  /** The pair in use. */
  current: CertificatePair;

  constructor(certFile: string, keyFile: string, log: Logger) {
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.log = log;
    this.current = readCertificatePair(certFile, keyFile);
  }

  /** Adds a listener to update on reload. */
  serve(listener: SecureListener): void {
    this.listeners.push(listener);
  }

  /** Reads the files again and gives every listener the new pair; false (and the old pair kept) when they do not load. */
  reload(): boolean {
    try {
      this.current = readCertificatePair(this.certFile, this.keyFile);
    } catch (error) {
      this.log.error({ err: error instanceof Error ? error.message : String(error) }, 'certificate reload failed; keeping the current one');
      return false;
    }
    for (const listener of this.listeners) listener.setSecureContext(this.current);
    this.log.info({ cert: this.certFile }, 'certificates reloaded');
    return true;
  }
}
