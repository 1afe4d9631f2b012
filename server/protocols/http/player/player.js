/* global document, window, Hls, mpegts, TallyLive */
// The Tally Origin player page: HLS through hls.js (or the browser's own HLS), or HTTP-FLV
// through mpegts.js for lower latency. Both libraries are served by the origin itself.
(function () {
  'use strict';
  const script = document.currentScript;
  const name = script.dataset.stream;
  const video = document.getElementById('video');
  const status = document.getElementById('status');
  const params = new URLSearchParams(window.location.search);
  const mode = params.get('mode') === 'flv' ? 'flv' : 'hls';
  const base = '/live/' + encodeURIComponent(name);
  // A signed playback link's token goes on to the stream's URLs (the origin carries it into HLS URIs).
  const token = params.get('token');
  const query = token ? '?token=' + encodeURIComponent(token) : '';
  let player = null;
  let retryTimer = null;

  function say(text) {
    status.textContent = text;
  }

  function retry(text) {
    say(text);
    // One restart at a time (an ended FLV stream reports LOADING_COMPLETE and the element's ended).
    if (retryTimer !== null) return;
    // Counted on the element, so a page (or a test) can tell a smooth play from a restart.
    video.dataset.restarts = String(Number(video.dataset.restarts || 0) + 1);
    if (player) {
      player.destroy();
      player = null;
    }
    retryTimer = setTimeout(function () {
      retryTimer = null;
      start();
    }, 2000);
  }

  // Whether the stream is live now: HTTP-FLV answers while it is; an HLS playlist also answers for a
  // while after the stream ended, with EXT-X-ENDLIST (RFC 8216 4.3.3.4), which is not live.
  async function live() {
    try {
      if (mode === 'flv') return (await fetch(base + '.flv' + query, { method: 'HEAD', cache: 'no-store' })).ok;
      const response = await fetch(base + '/index.m3u8' + query, { cache: 'no-store' });
      return response.ok && !(await response.text()).includes('#EXT-X-ENDLIST');
    } catch {
      return false;
    }
  }

  function play() {
    video.play().catch(function () {
      say('Press play to start');
    });
  }

  async function start() {
    if (!(await live())) {
      retry('Offline: waiting for the stream to go live…');
      return;
    }
    if (mode === 'flv') {
      if (!window.mpegts || !mpegts.isSupported()) return say('This browser cannot play HTTP-FLV (no Media Source Extensions).');
      player = mpegts.createPlayer(
        { type: 'flv', isLive: true, url: base + '.flv' + query },
        { enableStashBuffer: false, liveBufferLatencyChasing: true },
      );
      player.on(mpegts.Events.ERROR, function () {
        retry('Connection lost; reconnecting…');
      });
      player.on(mpegts.Events.LOADING_COMPLETE, function () {
        retry('The stream ended; waiting for it to come back…');
      });
      player.attachMediaElement(video);
      player.load();
      play();
    } else if (window.Hls && Hls.isSupported()) {
      // live-edge.js: the live config and the jump to the live edge, shared with bench/latency.bench.ts.
      player = new Hls(TallyLive.LIVE_HLS_CONFIG);
      TallyLive.followLiveEdge(player, video);
      player.on(Hls.Events.ERROR, function (_event, data) {
        if (data.fatal) retry('Playback error (' + data.details + '); retrying…');
      });
      player.loadSource(base + '/index.m3u8' + query);
      player.attachMedia(video);
      player.on(Hls.Events.MANIFEST_PARSED, play);
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = base + '/index.m3u8' + query;
      play();
    } else {
      return say('This browser cannot play HLS.');
    }
    say('Live: ' + mode.toUpperCase());
  }

  video.addEventListener('playing', function () {
    say('Playing (' + mode.toUpperCase() + ')');
  });
  video.addEventListener('waiting', function () {
    if (retryTimer === null) say('Buffering…');
  });
  // The playlist ended (EXT-X-ENDLIST) and everything in it was played: the stream is over.
  video.addEventListener('ended', function () {
    retry('The stream ended; waiting for it to come back…');
  });
  start();
})();
