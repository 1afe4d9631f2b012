/* global window */
// How Tally's player page plays live HLS with hls.js, shared with bench/latency.bench.ts (which
// loads this file into its page) so the benchmark measures exactly what a viewer gets.
//
// hls.js (1.7) aims at the playlist's PART-HOLD-BACK behind the live edge, but it starts where
// the first independent part is and the edge moves on while the first frame loads, so it starts
// about 2.5 s behind a 1 s-GOP LL-HLS stream. It only speeds up within one target duration of
// its target latency, so it never catches up. Two fixes, both standard hls.js behaviour:
//  - `maxLiveSyncPlaybackRate: 1.5`: drift back toward the target by playing a little faster;
//  - `followLiveEdge`: once playing, when the playhead is further behind the target than
//    hls.js will close by speeding up, jump to `hls.liveSyncPosition`, but only when that
//    position is already buffered (a jump into unbuffered media would land between keyframes
//    and stall). hls.js's own `liveMaxLatencyDuration` jump cannot do this: it is a fixed
//    distance from the edge, while the target differs between LL-HLS (PART-HOLD-BACK) and plain
//    HLS (3 target durations) and grows by a second after each stall.
(function () {
  'use strict';

  /** The hls.js config for live playback (merge a page's own settings over it). */
  const LIVE_HLS_CONFIG = Object.freeze({
    lowLatencyMode: true,
    liveDurationInfinity: true,
    maxLiveSyncPlaybackRate: 1.5,
  });

  /**
   * Keeps `hls` (attached to `video`) near its target latency: on each playlist update, when the
   * latency exceeds the target by more than hls.js's catch-up range (one target duration, 0.5 to
   * 1 s), seeks to `hls.liveSyncPosition` if that is buffered, and calls `onJump(fromS, toS)` (media
   * seconds) when given. Usually once, at the start; again only after falling that far behind.
   */
  function followLiveEdge(hls, video, onJump) {
    const Hls = window.Hls;
    hls.on(Hls.Events.LEVEL_UPDATED, function (_event, data) {
      const details = data.details;
      if (!details.live || video.paused || video.seeking || video.readyState < 3) return;
      const target = hls.targetLatency;
      const position = hls.liveSyncPosition;
      if (target === null || position === null || !(hls.latency > 0)) return;
      const range = Math.max(0.5, Math.min(details.targetduration, 1));
      if (hls.latency - target <= range || position <= video.currentTime) return;
      for (let i = 0; i < video.buffered.length; i++) {
        if (video.buffered.start(i) <= position && position < video.buffered.end(i) - 0.1) {
          const from = video.currentTime;
          video.currentTime = position;
          if (onJump) onJump(from, position);
          return;
        }
      }
    });
  }

  window.TallyLive = Object.freeze({ LIVE_HLS_CONFIG: LIVE_HLS_CONFIG, followLiveEdge: followLiveEdge });
})();
