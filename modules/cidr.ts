/** Small IPv4 CIDR arithmetic for construct validation (containment and overlap). */
export interface Ipv4Range {
  readonly first: number;
  readonly last: number;
}

export function parseCidr(cidr: string): Ipv4Range {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) throw new Error(`"${cidr}" is not an IPv4 CIDR block such as 10.0.0.0/16`);
  const octets = match.slice(1, 5).map(Number);
  const bits = Number(match[5]);
  if (octets.some((o) => o > 255) || bits > 32)
    throw new Error(`"${cidr}" is not an IPv4 CIDR block such as 10.0.0.0/16`);
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const first = Math.floor(address / size) * size;
  return { first, last: first + size - 1 };
}

export function cidrContains(outer: string, inner: string): boolean {
  const a = parseCidr(outer);
  const b = parseCidr(inner);
  return a.first <= b.first && b.last <= a.last;
}

export function cidrsOverlap(x: string, y: string): boolean {
  const a = parseCidr(x);
  const b = parseCidr(y);
  return a.first <= b.last && b.first <= a.last;
}
