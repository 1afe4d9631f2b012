/**
 * Turns what a user types into an FTS5 MATCH expression. Words are split the way FTS5's
 * `unicode61` tokenizer splits them (letters, digits and private-use characters make words;
 * everything else separates), each word is quoted, so no FTS5 syntax typed by a user ever
 * reaches the parser, and each matches as a prefix: "conc nig" finds "Concert night".
 * See https://sqlite.org/fts5.html §3 (full-text query syntax).
 */

/** Words beyond this are ignored: a query is a few words, not a document. */
export const MAX_QUERY_WORDS = 16;

/** The words of a query, as the index would split them. */
export function queryWords(text: string): string[] {
  return (text.match(/[\p{L}\p{N}\p{M}\p{Co}]+/gu) ?? []).slice(0, MAX_QUERY_WORDS);
}

/**
 * The MATCH expression for a query: every word, as a prefix, anywhere in `columns` (all
 * indexed columns by default). Null when the text has no word to look for.
 */
export function ftsMatchExpression(text: string, columns?: readonly string[]): string | null {
  const words = queryWords(text);
  if (words.length === 0) return null;
  const terms = words.map((word) => `"${word.replaceAll('"', '""')}"*`).join(' ');
  return columns && columns.length > 0 ? `{${columns.join(' ')}} : (${terms})` : terms;
}
