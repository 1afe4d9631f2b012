import { describe, expect, it } from 'vitest';
import type { ScreenSource } from '../../common/host/contract.ts';
import { ScreenChoiceBroker, type ScreenChoiceRequest } from './screen-choice.ts';

const sources: ScreenSource[] = [
  { id: 'screen:0:0', name: 'Entire screen', kind: 'screen', thumbnailDataUrl: null },
  { id: 'window:7:0', name: 'Slides', kind: 'window', thumbnailDataUrl: null },
];

describe('asking the studio picker what to share', () => {
  it('announces the sources and resolves with the one the user picked', async () => {
    const announced: ScreenChoiceRequest[] = [];
    const broker = new ScreenChoiceBroker({ announce: (request) => announced.push(request) });
    const choice = broker.ask(sources);
    expect(announced[0]!.sources).toEqual(sources);
    expect(broker.answer(announced[0]!.requestId, 'window:7:0')).toBe(true);
    expect(await choice).toBe('window:7:0');
    expect(broker.answer(announced[0]!.requestId, 'screen:0:0')).toBe(false); // answered already
  });

  it('an id that was not offered is refused and the request stays open; cancel resolves null', async () => {
    const announced: ScreenChoiceRequest[] = [];
    const broker = new ScreenChoiceBroker({ announce: (request) => announced.push(request) });
    const choice = broker.ask(sources);
    expect(broker.answer(announced[0]!.requestId, 'screen:99:0')).toBe(false);
    expect(broker.answer('someone-else', 'screen:0:0')).toBe(false);
    expect(broker.answer(announced[0]!.requestId, null)).toBe(true);
    expect(await choice).toBeNull();
  });

  it('no answer within the timeout, or closing the studio, shares nothing', async () => {
    const broker = new ScreenChoiceBroker({ announce: () => {}, timeoutMs: 20 });
    expect(await broker.ask(sources)).toBeNull();
    const closing = new ScreenChoiceBroker({ announce: () => {} });
    const pending = closing.ask(sources);
    closing.dispose();
    expect(await pending).toBeNull();
    expect(await closing.ask([])).toBeNull();
  });
});
