import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './loopback.ts';

describe('isLoopbackHost', () => {
  it('takes all of 127.0.0.0/8, ::1 in its spellings, IPv4-mapped loopback and localhost', () => {
    for (const host of [
      '127.0.0.1',
      '127.0.0.2',
      '127.255.255.254',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
      'localhost',
      'LOCALHOST.',
      'app.localhost',
    ])
      expect({ host, loopback: isLoopbackHost(host) }).toEqual({ host, loopback: true });
  });

  it('refuses every other address, the wildcards and look-alikes', () => {
    for (const host of [
      '0.0.0.0',
      '::',
      '10.0.0.1',
      '192.168.1.2',
      '128.0.0.1',
      '::2',
      '::ffff:10.0.0.1',
      '127.0.0.256',
      'localhost.example.com',
      '127.0.0.1.nip.io',
      'example.com',
      '',
    ])
      expect({ host, loopback: isLoopbackHost(host) }).toEqual({ host, loopback: false });
  });
});
