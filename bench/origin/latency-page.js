/* global document, window, Hls, TallyLive */
// The page side of bench/latency.bench.ts: plays one HLS URL with hls.js and measures how far
// behind the publisher the frame on screen is, from the SEI markers (origin/marker.ts) that
// hls.js hands over with their presentation times.
(function () {
  'use strict';
  /** Starts the player; `window.bench` holds what it measured. */
  window.startBench = function (url, uuid, config) {
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    document.body.appendChild(video);
    const state = {
      samples: [],
      pdtSamples: [],
      targetLatencyS: null,
      stallsBefore: 0,
      stalls: 0,
      jumps: 0,
      firstFrameMs: null,
      error: null,
      sampling: false,
    };
    window.bench = state;
    const clickedMs = performance.now();
    // Presentation time (s) and send time (ms since the epoch) of marked frames, in order.
    const markers = [];
    // The player page's config and live-edge jump (server/protocols/http/player/live-edge.js).
    const hls = new Hls(Object.assign({}, TallyLive.LIVE_HLS_CONFIG, config));
    TallyLive.followLiveEdge(hls, video, function () {
      state.jumps++;
    });
    hls.on(Hls.Events.FRAG_PARSING_USERDATA, function (_event, data) {
      for (const sample of data.samples)
        if (sample.uuid === uuid && sample.userData) markers.push({ pts: sample.pts, sentMs: Number(sample.userData) / 1000 });
      markers.sort(function (a, b) {
        return a.pts - b.pts;
      });
      if (markers.length > 2000) markers.splice(0, markers.length - 2000);
    });
    hls.on(Hls.Events.ERROR, function (_event, data) {
      if (data.fatal) state.error = data.details;
    });
    video.addEventListener('playing', function () {
      if (state.firstFrameMs === null) state.firstFrameMs = performance.now() - clickedMs;
    });
    video.addEventListener('waiting', function () {
      if (state.sampling) state.stalls++;
      else if (state.firstFrameMs !== null) state.stallsBefore++;
    });
    hls.loadSource(url);
    hls.attachMedia(video);
    video.play().catch(function () {});
    setInterval(function () {
      if (!state.sampling || video.paused) return;
      const t = video.currentTime;
      let shown = null;
      for (const marker of markers) {
        if (marker.pts > t + 0.001) break;
        shown = marker;
      }
      // The frame on screen: the last marked one at or before the playhead, within a frame or two of it.
      if (shown && t - shown.pts < 0.1) state.samples.push(Date.now() - shown.sentMs - (t - shown.pts) * 1000);
      if (Number.isFinite(hls.latency) && hls.playingDate) state.pdtSamples.push(hls.latency * 1000);
      // What hls.js aims at: the playlist's hold-back, plus a second per stall since it started (liveSyncOnStallIncrease).
      state.targetLatencyS = hls.targetLatency;
    }, 500);
  };
})();
