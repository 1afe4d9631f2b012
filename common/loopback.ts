/**
 * The one loopback test of the codebase: whether a listen address (or a host name in a URL)
 * can be reached only from this machine. Every listener that relaxes authentication on
 * loopback (the origin's `/metrics`, the web studio) asks this, so they never disagree.
 * Loopback is 127.0.0.0/8 (RFC 1122 3.2.1.3), ::1 (RFC 4291 2.5.3), the same as IPv4-mapped
 * IPv6 (::ffff:127.x.x.x), and the name `localhost` (RFC 6761 6.3). Brackets are ignored.
 */

/** True for addresses and names only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(bare);
  if (v4) return v4.slice(1).every((part) => Number(part) <= 255) && v4[1] === '127';
  return isIpv6Loopback(bare);
}

/** ::1 however it is written (0:0:0:0:0:0:0:1, ::0:1...). */
function isIpv6Loopback(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const [head, tail] = halves.map((half) => (half === '' ? [] : half.split(':')));
  const groups = [...head!, ...(tail ?? [])];
  if (groups.some((group) => !/^[0-9a-f]{1,4}$/.test(group))) return false;
  if (tail ? groups.length > 7 : groups.length !== 8) return false;
  const full = tail ? [...head!, ...new Array<string>(8 - groups.length).fill('0'), ...tail] : groups;
  return full.every((group, index) => Number.parseInt(group, 16) === (index === 7 ? 1 : 0));
}
