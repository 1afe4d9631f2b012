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
});
