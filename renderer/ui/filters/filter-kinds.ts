/** The filters the studio offers, their names, and what a new one starts with. */
import { FilterSettings, type FilterKind } from '../../../common/scene/schema.ts';

export const FILTER_KINDS: ReadonlyArray<{ kind: FilterKind; label: string; settings: () => FilterSettings }> = [
  { kind: 'beauty', label: 'Beauty', settings: () => FilterSettings.parse({ kind: 'beauty' }) },
  { kind: 'chromaKey', label: 'Chroma key', settings: () => FilterSettings.parse({ kind: 'chromaKey' }) },
  { kind: 'colorCorrection', label: 'Colour correction', settings: () => FilterSettings.parse({ kind: 'colorCorrection' }) },
  { kind: 'privacy', label: 'Blur or pixelate', settings: () => FilterSettings.parse({ kind: 'privacy' }) },
];

export function filterLabel(kind: FilterKind): string {
  return FILTER_KINDS.find((info) => info.kind === kind)?.label ?? kind;
}
