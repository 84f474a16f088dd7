import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { buildSync } from 'esbuild';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendTrace, defaultTracePath, makeTraceRecord, readTrace, redact, redactString, verifyTrace, type TraceRecord } from '../../src/audit/trace.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fwguard-trace-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function rec(command: string, extra: Partial<TraceRecord> = {}): TraceRecord {
  return makeTraceRecord({
    proposal: { kind: 'shell', command, cwd: '/p', session: 's1', agent: 'claude-code' },
    verdict: 'deny',
    opaque: false,
    actions: [],
    reasons: [{ rule: 'fs.delete.home', message: 'no', verdict: 'deny' }],
    durationMs: 0.1234,
    projectRoot: '/p',
    time: new Date('2026-01-02T03:04:05.000Z'),
    extra,
  });
}

describe('defaultTracePath', () => {
  it('prefers FWGUARD_STATE_DIR, then XDG_STATE_HOME, then ~/.local/state', () => {
    expect(defaultTracePath({ FWGUARD_STATE_DIR: '/s', XDG_STATE_HOME: '/x', HOME: '/h' })).toBe('/s/trace.jsonl');
    expect(defaultTracePath({ XDG_STATE_HOME: '/x', HOME: '/h' })).toBe('/x/fwguard/trace.jsonl');
    expect(defaultTracePath({ HOME: '/h' })).toBe('/h/.local/state/fwguard/trace.jsonl');
    expect(defaultTracePath({}, '/home/u')).toBe('/home/u/.local/state/fwguard/trace.jsonl');
  });
});

describe('redact', () => {
  const cases: [string, string, string][] = [
    // [name, input, secret that must disappear]
    ['bearer header', `curl -H "Authorization: Bearer abc.def-ghi123456" https://x`, 'abc.def-ghi123456'],
    ['basic header', `curl -H 'Authorization: Basic dXNlcjpwYXNz' https://x`, 'dXNlcjpwYXNz'],
    ['bare bearer', 'token is Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig', 'eyJhbGciOiJIUzI1NiJ9'],
    ['*_SECRET*=', 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG npm run x', 'wJalrXUtnFEMI/K7MDENG'],
    ['*_TOKEN*=', 'GITHUB_TOKEN=abc123xyz gh pr list', 'abc123xyz'],
    ['NPM_TOKEN quoted', 'export NPM_TOKEN="s3cr3t value"', 's3cr3t value'],
    ['*_KEY=', 'OPENAI_API_KEY=sk-proj-aaaaaaaaaaaaaaaaaaaaaaaaa node x.js', 'sk-proj-aaaaaaaaaaaaaaaaaaaaaaaaa'],
    ['STRIPE_KEY=', 'STRIPE_KEY=abcd1234 ./deploy', 'abcd1234'],
    ['PASSWORD=', 'PASSWORD=hunter2 ./run', 'hunter2'],
    ['DB_PASSWORD=', 'DB_PASSWORD=hunter2 ./run', 'hunter2'],
    ['AWS access key id', 'aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
    ['GitHub classic token', 'git clone https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['GitHub fine-grained token', 'echo github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'],
    ['URL userinfo password', 'psql postgres://admin:pa55w0rd@db.internal:5432/app', 'pa55w0rd'],
    ['https userinfo', 'git remote add o https://bob:s3cret@example.com/r.git', 's3cret'],
    ['mysql -p', 'mysql -u root -pS3cretPass mydb -e "select 1"', 'S3cretPass'],
    ['--password=', 'docker login --password=hunter22 registry', 'hunter22'],
    ['--token x', 'vercel deploy --token abcdef123456', 'abcdef123456'],
    ['curl -u', 'curl -u alice:wonderland https://api', 'wonderland'],
    ['private key block', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n-----END OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAA'],
    ['json password field', '{"user":"a","password":"pw12345"}', 'pw12345'],
  ];
  for (const [name, input, secret] of cases) {
    it(`masks ${name}`, () => {
      const out = redactString(input);
      expect(out).not.toContain(secret);
      expect(out).toContain('[REDACTED]');
    });
  }

  it('keeps the label so a reader knows what was there', () => {
    expect(redactString('GITHUB_TOKEN=abc gh pr list')).toBe('GITHUB_TOKEN=[REDACTED] gh pr list');
    expect(redactString('curl -H "Authorization: Bearer abcdefghijkl" x')).toBe('curl -H "Authorization: [REDACTED]" x');
    expect(redactString('https://u:p4ss@h/x')).toBe('https://u:[REDACTED]@h/x');
  });

  it('leaves ordinary commands alone', () => {
    const plain = [
      'git push -f origin main',
      'rm -rf ~/project/dist',
      'ssh git@github.com',
      'git clone git@github.com:org/repo.git',
      'sudo -u root ls',
      'mysql -P 3306 -h db -p',
      'echo monkey=banana keyboard=1',
      'curl https://example.com/path?q=1',
      'npm install --save-dev typescript',
      'cat ~/.ssh/id_rsa.pub',
    ];
    for (const p of plain) expect(redactString(p)).toBe(p);
  });

  it('redacts deeply, and values under secret-named keys', () => {
    const v = {
      proposal: { command: 'GH_TOKEN=zzz gh', input: { headers: { Authorization: 'Bearer qqqqqqqqqq' }, apiKey: 'k-123', n: 3 } },
      list: ['PASSWORD=x1', { client_secret: 'cs' }],
      ok: true,
      nothing: null,
    };
    const out = redact(v);
    const text = JSON.stringify(out);
    for (const s of ['zzz', 'qqqqqqqqqq', 'k-123', 'x1', '"cs"']) expect(text).not.toContain(s);
    expect(out.proposal.input.n).toBe(3);
    expect(out.ok).toBe(true);
    expect(out.nothing).toBe(null);
    // input not mutated
    expect(v.proposal.command).toBe('GH_TOKEN=zzz gh');
  });
});

describe('appendTrace / readTrace', () => {
  it('writes one redacted line per record, dir 0700, file 0600', () => {
    const path = join(dir, 'a', 'state', 'trace.jsonl');
    appendTrace(rec('GITHUB_TOKEN=abc123 git push'), path);
    appendTrace(rec('ls'), path);
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n')).toHaveLength(3);
    expect(text).not.toContain('abc123');
    if (process.platform !== 'win32') {
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'a', 'state')).mode & 0o777).toBe(0o700);
    }
    const back = readTrace(path);
    expect(back).toHaveLength(2);
    expect(back[0]).toMatchObject({
      time: '2026-01-02T03:04:05.000Z',
      session: 's1',
      agent: 'claude-code',
      cwd: '/p',
      projectRoot: '/p',
      verdict: 'deny',
      opaque: false,
      rules: ['fs.delete.home'],
      durationMs: 0.123,
    });
    expect(back[1]!.proposal.command).toBe('ls');
  });

  it('tightens a file created with a loose mode', () => {
    if (process.platform === 'win32') return;
    const path = join(dir, 'loose.jsonl');
    writeFileSync(path, '', { mode: 0o644 });
    appendTrace(rec('ls'), path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('missing file → []; tolerates a torn last line and junk lines', () => {
    expect(readTrace(join(dir, 'nope.jsonl'))).toEqual([]);
    const path = join(dir, 'torn.jsonl');
    appendTrace(rec('one'), path);
    appendFileSync(path, 'not json\n');
    appendTrace(rec('two'), path);
    appendFileSync(path, '{"time":"2026-01-0'); // crash mid-write
    const back = readTrace(path);
    expect(back.map((r) => r.proposal.command)).toEqual(['one', 'two']);
  });

  it('limit keeps the newest N, oldest first', () => {
    const path = join(dir, 'limit.jsonl');
    for (let i = 0; i < 10; i++) appendTrace(rec(`cmd ${i}`), path);
    expect(readTrace(path, { limit: 3 }).map((r) => r.proposal.command)).toEqual(['cmd 7', 'cmd 8', 'cmd 9']);
    expect(readTrace(path, { limit: 0 })).toEqual([]);
    expect(readTrace(path, { limit: 50 })).toHaveLength(10);
  });

  it('concurrent appends from several processes lose and interleave nothing', async () => {
    const bundle = join(dir, 'trace.mjs');
    buildSync({ entryPoints: [join(import.meta.dirname, '../../src/audit/trace.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle });
    const child = join(dir, 'child.mjs');
    writeFileSync(
      child,
      `import { appendTrace, makeTraceRecord } from ${JSON.stringify(bundle)};
const [path, id, n] = process.argv.slice(2);
const pad = 'x'.repeat(9000); // well over PIPE_BUF: atomicity must not rely on small writes
for (let i = 0; i < Number(n); i++) {
  appendTrace(makeTraceRecord({ proposal: { kind: 'shell', command: 'echo ' + id + ':' + i + ' ' + pad, cwd: '/' }, verdict: 'allow', opaque: false, actions: [], reasons: [], durationMs: 0 }), path);
}
`,
    );
    const path = join(dir, 'concurrent', 'trace.jsonl');
    const procs = 6;
    const per = 150;
    await Promise.all(
      Array.from({ length: procs }, (_, id) =>
        new Promise<void>((resolve, reject) => {
          const p = spawn(process.execPath, [child, path, String(id), String(per)], { stdio: ['ignore', 'ignore', 'pipe'] });
          let err = '';
          p.stderr.on('data', (d: Buffer) => (err += d.toString()));
          p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child ${id} exit ${code}: ${err}`))));
        }),
      ),
    );
    expect(existsSync(path)).toBe(true);
    const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(procs * per);
    const seen = new Set<string>();
    for (const line of lines) {
      const r = JSON.parse(line) as TraceRecord; // throws on an interleaved line
      seen.add(String(r.proposal.command).split(' ')[1]!);
    }
    expect(seen.size).toBe(procs * per);
    expect(verifyTrace(path)).toMatchObject({ ok: true, records: procs * per });
  }, 60_000);
});
