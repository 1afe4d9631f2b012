import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../store.ts';
import { LibraryIndex, type NewItem } from './library-index.ts';
import { ftsMatchExpression, queryWords } from './search-text.ts';

let dir: string;
let store: Store;
let index: LibraryIndex;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tally-library-index-'));
  store = new Store({ dataDir: dir });
  index = new LibraryIndex(store.db);
});
afterEach(() => {
  store.dispose();
  rmSync(dir, { recursive: true, force: true });
});

let serial = 0;
function item(fields: Partial<NewItem> & { title: string }): NewItem {
  serial++;
  return {
    path: `/media/${serial}.mp4`,
    sizeBytes: 1000 * serial,
    mtimeMs: 1_700_000_000_000,
    contentHash: `hash-${serial}`,
    kind: 'video',
    status: 'ok',
    error: null,
    media: {
      container: 'mov,mp4,m4a,3gp,3g2,mj2',
      durationMs: 1000 * serial,
      videoCodec: 'h264',
      audioCodec: 'aac',
      width: 1280,
      height: 720,
      fps: 30,
      audioChannels: 2,
      audioSampleRate: 48000,
    },
    createdAtMs: 1_700_000_000_000 + serial * 60_000,
    importedAtMs: 1_700_000_000_000,
    ...fields,
  };
}

const titles = (page: { items: { title: string }[] }) => page.items.map((entry) => entry.title);

describe('library search', () => {
  it('finds items by title, by tag and by note, with each word also a prefix', () => {
    index.insert(item({ title: 'Concert night', tags: ['live', 'music'] }));
    index.insert(item({ title: 'Cooking show', tags: ['food'], notes: 'guest chef from Lyon' }));
    index.insert(item({ title: 'Rehearsal', tags: ['behind the scenes'] }));

    expect(titles(index.search({ text: 'concert' }))).toEqual(['Concert night']);
    expect(titles(index.search({ text: 'conc' }))).toEqual(['Concert night']);
    expect(titles(index.search({ text: 'CONC nig' }))).toEqual(['Concert night']);
    expect(titles(index.search({ text: 'mus' }))).toEqual(['Concert night']);
    expect(titles(index.search({ text: 'behind scenes' }))).toEqual(['Rehearsal']);
    expect(titles(index.search({ text: 'lyon' }))).toEqual(['Cooking show']);
    expect(titles(index.search({ text: 'co' })).sort()).toEqual(['Concert night', 'Cooking show']);
    expect(index.search({ text: 'nothing-like-this' }).total).toBe(0);
  });

  it('puts items whose title matches before those that match only in tags or notes', () => {
    // Many notes mentioning "studio" would outrank a short title on bm25 alone.
    index.insert(item({ title: 'Morning talk', notes: 'studio studio studio studio, studio lights' }));
    index.insert(item({ title: 'Evening', tags: ['studio'] }));
    index.insert(item({ title: 'Studio tour' }));
    index.insert(item({ title: 'A long day at the studio with many words in its title' }));
    const found = titles(index.search({ text: 'stud' }));
    expect(found.slice(0, 2).sort()).toEqual(['A long day at the studio with many words in its title', 'Studio tour']);
    expect(found.slice(2).sort()).toEqual(['Evening', 'Morning talk']);
  });

  it('pages through title matches and then the others without repeating or losing any, trashed items left out', () => {
    for (let n = 0; n < 5; n++) index.insert(item({ title: `Podcast ${n}` }));
    for (let n = 0; n < 5; n++) index.insert(item({ title: `Episode ${n}`, notes: 'from the podcast feed' }));
    const trashed = index.insert(item({ title: 'Podcast old' }));
    index.setTrashed(trashed.id, 1, null);
    const seen: string[] = [];
    for (let offset = 0; offset < 12; offset += 3) {
      const page = index.search({ text: 'podc', limit: 3, offset });
      expect(page.total).toBe(10);
      seen.push(...titles(page));
    }
    expect(seen).toHaveLength(10);
    expect(seen.slice(0, 5).every((title) => title.startsWith('Podcast'))).toBe(true);
    expect(seen.slice(5).every((title) => title.startsWith('Episode'))).toBe(true);
    expect(index.search({ text: 'podc', trashed: true }).items.map((entry) => entry.id)).toEqual([trashed.id]);
  });

  it('follows renames, new tags and notes, and forgets deleted items', () => {
    const row = index.insert(item({ title: 'Untitled' }));
    expect(index.search({ text: 'keynote' }).total).toBe(0);
    index.update(row.id, { title: 'Keynote', tags: ['Conference', 'conference ', 'talks'], notes: 'slides in the drive' });
    expect(titles(index.search({ text: 'keyn' }))).toEqual(['Keynote']);
    expect(titles(index.search({ text: 'confer' }))).toEqual(['Keynote']);
    expect(titles(index.search({ text: 'drive' }))).toEqual(['Keynote']);
    expect(index.search({ text: 'untitled' }).total).toBe(0);
    expect(index.row(row.id)?.tags).toBe('["Conference","talks"]');
    index.remove([row.id]);
    expect(index.search({ text: 'keynote' }).total).toBe(0);
    // The external-content index agrees with its table.
    expect(() => store.db.exec("INSERT INTO library_fts (library_fts, rank) VALUES ('integrity-check', 1)")).not.toThrow();
  });

  it('applies filters to search results too, and pages through them', () => {
    for (let n = 0; n < 25; n++)
      index.insert(item({ title: `Clip ${n}`, kind: n % 2 ? 'audio' : 'video', tags: n % 5 === 0 ? ['best'] : [] }));
    expect(index.search({ text: 'clip' }).total).toBe(25);
    expect(index.search({ text: 'clip', kinds: ['audio'] }).total).toBe(12);
    expect(titles(index.search({ text: 'clip', tags: ['BEST'] })).sort()).toEqual(['Clip 0', 'Clip 10', 'Clip 15', 'Clip 20', 'Clip 5']);
    const first = index.search({ text: 'clip', limit: 10 });
    const second = index.search({ text: 'clip', limit: 10, offset: 10 });
    expect(first.items).toHaveLength(10);
    expect(new Set([...titles(first), ...titles(second)]).size).toBe(20);
  });

  it('never lets what a user types break the query: any text searches or finds nothing', () => {
    index.insert(item({ title: 'Plain title' }));
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const page = index.search({ text });
        expect(page.total).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
    for (const text of ['"', 'title:', 'a OR b', 'NEAR(a b)', '*', '^x', '{title}: x', 'a AND NOT b', "'; DROP TABLE library_items; --"]) {
      expect(() => index.search({ text })).not.toThrow();
    }
    expect(queryWords('"a" OR b*')).toEqual(['a', 'OR', 'b']);
    expect(ftsMatchExpression('a OR b')).toBe('"a"* "OR"* "b"*');
    expect(ftsMatchExpression('  ;; ')).toBeNull();
  });
});

describe('library listing', () => {
  beforeEach(() => {
    index.insert(item({ title: 'bravo', kind: 'video', sizeBytes: 300, createdAtMs: 3000, tags: ['a'] }));
    index.insert(item({ title: 'Alpha', kind: 'image', sizeBytes: 100, createdAtMs: 1000, tags: ['a', 'b'] }));
    index.insert(item({ title: 'charlie', kind: 'recording', sizeBytes: 200, createdAtMs: 2000 }));
  });

  it('sorts by date, name, duration and size, both ways', () => {
    expect(titles(index.list({}))).toEqual(['bravo', 'charlie', 'Alpha']);
    expect(titles(index.list({ sort: 'created', direction: 'asc' }))).toEqual(['Alpha', 'charlie', 'bravo']);
    expect(titles(index.list({ sort: 'title', direction: 'asc' }))).toEqual(['Alpha', 'bravo', 'charlie']);
    expect(titles(index.list({ sort: 'size', direction: 'desc' }))).toEqual(['bravo', 'charlie', 'Alpha']);
    const byDuration = titles(index.list({ sort: 'duration', direction: 'asc' }));
    expect(byDuration).toHaveLength(3);
  });

  it('filters by type, by tag (every tag) and by date range, and counts what matches', () => {
    expect(titles(index.list({ kinds: ['image', 'recording'] })).sort()).toEqual(['Alpha', 'charlie']);
    expect(titles(index.list({ tags: ['a'] })).sort()).toEqual(['Alpha', 'bravo']);
    expect(titles(index.list({ tags: ['a', 'b'] }))).toEqual(['Alpha']);
    expect(titles(index.list({ fromMs: 1500, toMs: 3000 }))).toEqual(['charlie']);
    expect(index.list({ limit: 1 })).toMatchObject({ total: 3, items: [{ title: 'bravo' }] });
    expect(index.listTags()).toEqual([
      { tag: 'a', count: 2 },
      { tag: 'b', count: 1 },
    ]);
  });

  it('keeps trashed items out of the library and in the trash view', () => {
    const bravo = index.list({ tags: ['a'], sort: 'title', direction: 'desc' }).items[0]!;
    index.setTrashed(bravo.id, 5000, null);
    expect(titles(index.list({}))).toEqual(['charlie', 'Alpha']);
    expect(titles(index.list({ trashed: true }))).toEqual(['bravo']);
    expect(index.listTags()).toEqual([
      { tag: 'a', count: 1 },
      { tag: 'b', count: 1 },
    ]);
  });
});
