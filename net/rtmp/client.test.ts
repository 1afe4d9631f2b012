import { describe, expect, it } from 'vitest';
import { parseRtmpServerUrl, parseRtmpUrl } from './client.ts';

describe('RTMP URLs', () => {
  it('splits rtmp and rtmps URLs, with the default ports, and never puts the key in tcUrl', () => {
    expect(parseRtmpUrl('rtmp://host/live/KEY')).toEqual({
      secure: false,
      host: 'host',
      port: 1935,
      app: 'live',
      stream: 'KEY',
      tcUrl: 'rtmp://host/live',
    });
    expect(parseRtmpServerUrl('rtmps://live-api-s.facebook.com:443/rtmp/')).toMatchObject({
      secure: true,
      port: 443,
      app: 'rtmp',
      stream: '',
    });
    expect(parseRtmpServerUrl('rtmps://a.rtmps.youtube.com/live2')).toMatchObject({
      port: 443,
      app: 'live2',
      tcUrl: 'rtmps://a.rtmps.youtube.com/live2',
    });
    expect(parseRtmpServerUrl('rtmp://[::1]:1936/app/instance')).toMatchObject({ host: '::1', port: 1936, app: 'app/instance' });
    expect(() => parseRtmpServerUrl('https://example.com/live')).toThrow(/rtmp/);
  });

  it('says a port out of range is one, rather than "not a valid URL"', () => {
    for (const url of ['rtmp://127.0.0.1:99999/live', 'rtmps://host:0/live', 'rtmp://[::1]:70000/app', 'rtmp://user@host:65536/live'])
      expect(() => parseRtmpServerUrl(url)).toThrow(/^port must be 1-65535, not \d+$/);
    expect(parseRtmpServerUrl('rtmp://host:65535/live').port).toBe(65535);
    expect(() => parseRtmpServerUrl('rtmp://host:port/live')).toThrow('not a valid rtmp:// or rtmps:// URL');
  });
});
