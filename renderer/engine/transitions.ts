/** Transitions between program scenes as pure maths: progress, easing, and what to draw. */
import type { Transition } from '../../common/scene/schema.ts';

/** A transition under way. */
export interface ActiveTransition {
  kind: Transition['kind'];
  fromSceneId: string;
  toSceneId: string;
  startMs: number;
  durationMs: number;
}

/** Progress 0..1 at `nowMs`, eased (smoothstep) so motion starts and stops gently. */
export function transitionProgress(transition: ActiveTransition, nowMs: number): number {
  if (transition.kind === 'cut' || transition.durationMs <= 0) return 1;
  const t = Math.min(1, Math.max(0, (nowMs - transition.startMs) / transition.durationMs));
  return t * t * (3 - 2 * t);
}

/** Where each scene sits during a slide: the old one leaves to the left as the new one enters from the right. */
export function slideOffsets(progress: number, outputWidth: number): { from: number; to: number } {
  return { from: -progress * outputWidth, to: (1 - progress) * outputWidth };
}
