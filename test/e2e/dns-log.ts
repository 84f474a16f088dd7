// A DNS "server" on 127.0.0.1:53 that answers every query NXDOMAIN and remembers the name. Inside
// the e2e namespace /etc/resolv.conf points here (scripts/e2e/netns.sh bind-mounts it), so a
// client that tries to phone home (telemetry, update checks, plugin marketplaces) shows up as a
// lookup — the test fails on it, even though the namespace could not have carried the traffic.
import { createSocket, type Socket } from 'node:dgram';

export interface Lookup {
  name: string;
  type: number;
}

function question(msg: Buffer): { name: string; type: number; end: number } | undefined {
  let i = 12;
  const labels: string[] = [];
  while (i < msg.length) {
    const len = msg[i]!;
    if (len === 0) {
      i++;
      break;
    }
    if (len >= 0xc0 || i + 1 + len > msg.length) return undefined; // no compression in a question
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('latin1'));
    i += 1 + len;
  }
  if (i + 4 > msg.length) return undefined;
  return { name: labels.join('.'), type: msg.readUInt16BE(i), end: i + 4 };
}

export class DnsLog {
  readonly lookups: Lookup[] = [];
  private sock: Socket | undefined;

  /** Listen on 127.0.0.1:53; resolves false (and logs nothing) when the port cannot be had. */
  async start(): Promise<boolean> {
    const s = createSocket('udp4');
    s.on('message', (msg, rinfo) => {
      if (msg.length < 12) return;
      const q = question(msg);
      if (q) this.lookups.push({ name: q.name, type: q.type });
      const end = q?.end ?? 12;
      const reply = Buffer.from(msg.subarray(0, end));
      reply.writeUInt16BE(0x8183, 2); // response, recursion desired + available, NXDOMAIN
      reply.writeUInt16BE(q ? 1 : 0, 4);
      reply.writeUInt32BE(0, 6);
      reply.writeUInt16BE(0, 10);
      s.send(reply, rinfo.port, rinfo.address);
    });
    const ok = await new Promise<boolean>((done) => {
      s.once('error', () => done(false));
      s.bind(53, '127.0.0.1', () => done(true));
    });
    if (ok) this.sock = s;
    else s.close();
    return ok;
  }

  async stop(): Promise<void> {
    const s = this.sock;
    this.sock = undefined;
    if (s) await new Promise<void>((done) => s.close(() => done()));
  }
}
