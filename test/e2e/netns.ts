// The loopback-only guarantee, checked from inside the test process before any client starts:
// this process's network namespace (/proc/self/net, which follows the namespace, unlike
// /sys/class/net) may hold the `lo` link only, and no IPv4 or IPv6 default route. Anything else
// throws: the suite fails loudly rather than letting an agent near a real address.
import { readFileSync } from 'node:fs';

/** The three /proc/self/net tables the check reads. */
export interface NetTables {
  dev: string;
  route: string;
  ipv6Route: string;
}

export function readNetTables(): NetTables {
  let ipv6Route: string;
  try {
    ipv6Route = readFileSync('/proc/self/net/ipv6_route', 'utf8');
  } catch {
    ipv6Route = ''; // IPv6 disabled: no IPv6 route at all
  }
  return { dev: readFileSync('/proc/self/net/dev', 'utf8'), route: readFileSync('/proc/self/net/route', 'utf8'), ipv6Route };
}

const RTF_REJECT = 0x200;

/** What is wrong with a namespace for running agents (empty: loopback only). */
export function loopbackProblems(t: NetTables = readNetTables()): string[] {
  const problems: string[] = [];
  const links = t.dev
    .split('\n')
    .slice(2)
    .map((l) => l.split(':')[0]!.trim())
    .filter(Boolean);
  const others = links.filter((l) => l !== 'lo');
  if (others.length) problems.push(`network links other than lo: ${others.join(', ')}`);
  if (!links.includes('lo')) problems.push('no loopback link');
  // /proc/net/route: Iface Destination Gateway Flags … ; destination 00000000 is the default route.
  if (t.route.split('\n').slice(1).some((l) => l.trim().split(/\s+/)[1] === '00000000')) problems.push('an IPv4 default route');
  // /proc/net/ipv6_route: dest prefixlen src srclen nexthop metric refcnt use flags dev. Every
  // namespace has the kernel's own unreachable ::/0 (RTF_REJECT, metric ffffffff) on lo; any
  // other ::/0 counts as a default route (even one the kernel rejects: `ip -6 route show
  // default` lists it, and scripts/e2e/netns.sh refuses it too).
  const v6default = t.ipv6Route.split('\n').some((l) => {
    const f = l.trim().split(/\s+/);
    const builtinUnreachable = f[5] === 'ffffffff' && (parseInt(f[8] ?? '0', 16) & RTF_REJECT) !== 0;
    return /^0{32}$/.test(f[0] ?? '') && f[1] === '00' && !builtinUnreachable;
  });
  if (v6default) problems.push('an IPv6 default route');
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
