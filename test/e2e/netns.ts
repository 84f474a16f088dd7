// The loopback-only guarantee, checked from inside the test process before any client starts:
// this process's network namespace (/proc/self/net, which follows the namespace, unlike
// /sys/class/net) may hold the `lo` link only, and no IPv4 or IPv6 default route. Anything else
// throws: the suite fails loudly rather than letting an agent near a real address.
import { readFileSync } from 'node:fs';

export function loopbackProblems(): string[] {
  const problems: string[] = [];
  const links = readFileSync('/proc/self/net/dev', 'utf8')
    .split('\n')
    .slice(2)
    .map((l) => l.split(':')[0]!.trim())
    .filter(Boolean);
  const others = links.filter((l) => l !== 'lo');
  if (others.length) problems.push(`network links other than lo: ${others.join(', ')}`);
  if (!links.includes('lo')) problems.push('no loopback link');
  const v4 = readFileSync('/proc/self/net/route', 'utf8').split('\n').slice(1).filter(Boolean);
  if (v4.some((l) => l.split(/\s+/)[1] === '00000000')) problems.push('an IPv4 default route');
  let v6: string[];
  try {
    v6 = readFileSync('/proc/self/net/ipv6_route', 'utf8').split('\n').filter(Boolean);
  } catch {
    v6 = []; // IPv6 disabled: no IPv6 route at all
  }
  // Destination ::/0 on anything but the loopback device is a default route.
  if (v6.some((l) => { const f = l.trim().split(/\s+/); return /^0{32}$/.test(f[0] ?? '') && f[1] === '00' && f[9] !== 'lo'; })) problems.push('an IPv6 default route');
  return problems;
}

/** Throw unless this process runs in a loopback-only network namespace. */
export function assertLoopbackOnly(): void {
  const p = loopbackProblems();
  if (p.length) {
    throw new Error(
      `fwguard e2e REFUSES to start an agent client: this network namespace has ${p.join('; ')}. ` +
        'Run the suite through `npm run test:e2e` (scripts/e2e/netns.sh puts it in a private loopback-only namespace), ' +
        'or skip it explicitly with FWGUARD_E2E=0.',
    );
  }
}
