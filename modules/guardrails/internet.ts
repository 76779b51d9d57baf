/** Whether CIDR blocks, together, are the whole internet (IPv4 `0.0.0.0/0` or IPv6 `::/0`), however they are split. */

interface Range {
  readonly first: bigint;
  readonly last: bigint;
}

function ipv4(address: string): bigint | undefined {
  const octets = address.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return undefined;
  return octets.reduce((acc, o) => acc * 256n + BigInt(o), 0n);
}

function ipv6(address: string): bigint | undefined {
  const [head, tail = ''] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const h = groups(head);
  const t = address.includes('::') ? groups(tail) : [];
  const all = address.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  if (all.length !== 8 || all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((acc, g) => acc * 65536n + BigInt(parseInt(g, 16)), 0n);
}

function range(cidr: string): { family: 4 | 6; range: Range } | undefined {
  const [address, bitsText] = cidr.trim().split('/');
  const family = address.includes(':') ? 6 : 4;
  const width = family === 4 ? 32 : 128;
  const bits = bitsText === undefined ? width : Number(bitsText);
  const value = family === 4 ? ipv4(address) : ipv6(address);
  if (value === undefined || !Number.isInteger(bits) || bits < 0 || bits > width) return undefined;
  const size = 1n << BigInt(width - bits);
  const first = (value / size) * size;
  return { family, range: { first, last: first + size - 1n } };
}

function covers(ranges: Range[], width: number): boolean {
  const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  let next = 0n;
  for (const r of sorted) {
    if (r.first > next) return false;
    if (r.last + 1n > next) next = r.last + 1n;
  }
  return next >= 1n << BigInt(width);
}

/** The families (`0.0.0.0/0`, `::/0`) the blocks cover entirely, together. */
export function internetCovered(cidrs: readonly string[]): string[] {
  const parsed = cidrs.map(range).filter((r) => r !== undefined);
  return [
    ...(covers(
      parsed.filter((p) => p.family === 4).map((p) => p.range),
      32,
    )
      ? ['0.0.0.0/0']
      : []),
    ...(covers(
      parsed.filter((p) => p.family === 6).map((p) => p.range),
      128,
    )
      ? ['::/0']
      : []),
  ];
}
