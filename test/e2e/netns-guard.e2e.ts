// The loopback-only guard itself, checked against real namespaces (nested inside the suite's own):
// a namespace with another link or a default route is refused by both the wrapper script and the
// in-process check; a loopback-only one passes. Without this, a broken guard would look the same
// as a working one.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './harness.js';
import { DnsLog } from './dns-log.js';
import { loopbackProblems } from './netns.js';

const NETNS_SH = join(ROOT, 'scripts/e2e/netns.sh');
const DUMP = 'cat /proc/self/net/dev; echo @@; cat /proc/self/net/route; echo @@; cat /proc/self/net/ipv6_route';

/** Run `setup`, then `then`, in a fresh network namespace nested in the suite's one. */
function nested(setup: string, then: string, env: Record<string, string> = {}) {
  // Its own mount namespace too, so what netns.sh mounts there (resolv.conf) goes with it.
  return spawnSync('unshare', ['--net', '--mount', '--propagation', 'private', 'bash', '-c', `ip link set lo up; ${setup}; ${then}`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  });
}
function tablesOf(setup: string) {
  const r = nested(setup, DUMP);
  expect(r.status, r.stderr).toBe(0);
  const [dev, route, ipv6Route] = r.stdout.split('@@\n');
  return { dev: dev!, route: route!, ipv6Route: ipv6Route ?? '' };
}

const CASES: [string, string, RegExp | null][] = [
  ['loopback only (the look-alike that must pass)', 'true', null],
  ['a veth link', 'ip link add fwg0 type veth peer name fwg1', /links other than lo: .*fwg/],
  ['an IPv4 default route', 'ip route add default dev lo', /IPv4 default route/],
  ['an IPv6 default route', 'ip -6 route add default dev lo', /IPv6 default route/],
];

describe('the loopback-only guard', () => {
  it('this suite runs in a loopback-only namespace', () => {
    expect(loopbackProblems()).toEqual([]);
  });

  it('a name lookup reaches the lookup logger (so "no lookups" means none were made)', async () => {
    const dns = new DnsLog();
    expect(await dns.start(), 'could not listen on 127.0.0.1:53').toBe(true);
    try {
      // glibc (getent) and Node's resolver, the two stacks the JS clients use.
      const run = (cmd: string, args: string[]) => new Promise<void>((ok) => spawn(cmd, args, { stdio: 'ignore' }).on('close', () => ok()));
      await run('getent', ['hosts', 'phone-home.fwguard-e2e.example']);
      await run(process.execPath, ['-e', "require('node:dns').resolve4('telemetry.fwguard-e2e.example', () => {})"]);
    } finally {
      await dns.stop();
    }
    const names = dns.lookups.map((l) => l.name);
    expect(names.some((n) => n.startsWith('phone-home.fwguard-e2e.example')), names.join(', ')).toBe(true);
    expect(names).toContain('telemetry.fwguard-e2e.example');
  });

  for (const [name, setup, problem] of CASES) {
    it(`${problem ? 'refuses' : 'accepts'} a namespace with ${name}: in-process check and scripts/e2e/netns.sh agree`, () => {
      const found = loopbackProblems(tablesOf(setup));
      const script = nested(setup, `FWGUARD_E2E_NETNS=1 ${NETNS_SH} true`);
      if (problem) {
        expect(found.join('; ')).toMatch(problem);
        expect(script.status).toBe(3);
        expect(script.stderr).toMatch(/REFUSING/);
      } else {
        expect(found).toEqual([]);
        expect(script.status, script.stderr).toBe(0);
      }
    });
  }
});
