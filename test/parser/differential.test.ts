// Differential test of the shell walker: for every entry of corpus.txt, the simple commands
// fwguard finds must be the calls an independent bash parser (mvdan/sh) finds, argv for argv.
// How both sides are normalised is explained at the top of compare.ts. Entries listed in
// known-differences.md (walker bugs, with the reason) are skipped; that file is the only list.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DYN, compareLine, fwguardCommands, mvdanCommands, parseCorpus, parseKnown } from './compare.js';

const here = (f: string) => new URL(f, import.meta.url);
const corpus = parseCorpus(readFileSync(here('./corpus.txt'), 'utf8'));
const known = parseKnown(readFileSync(here('./known-differences.md'), 'utf8'));
const knownSet = new Set(known);

describe('the oracle (mvdan side) normalises like bash', () => {
  const mv = (line: string) => {
    const r = mvdanCommands(line);
    if ('error' in r) throw new Error(r.error);
    return r.commands;
  };

  it('removes quotes of every kind', () => {
    expect(mv(`r''m a\\ b "c\\$d\\q" $'\\x41\\t' 'e'"f"g`)).toEqual([['rm', 'a b', 'c$d\\q', 'A\t', 'efg']]);
  });

  it('marks words holding an expansion, and finds the commands inside them', () => {
    expect(mv('echo $x "${y:-z}" $(ls) `pwd` $((1+2)) <(cat a) plain')).toEqual([
      ['echo', DYN, DYN, DYN, DYN, DYN, DYN, 'plain'],
      ['ls'],
      ['pwd'],
      ['cat', 'a'],
    ]);
  });

  it('expands braces and a leading tilde as bash does', () => {
    expect(mv(`echo a{b,c} {1..3} {"x y",z} \\{p,q\\} ~ ~/d ~"/e" "~"/f`)).toEqual([
      ['echo', 'ab', 'ac', '1', '2', '3', 'x y', 'z', '{p,q}', '/home/u', '/home/u/d', '~/e', '~/f'],
    ]);
  });

  it('visits ${x:OFFSET} that mvdan Walk skips, and rebuilds declare/let argv', () => {
    expect(mv('echo ${x:$(a)}; export A=1 B; let i++')).toEqual([['echo', DYN], ['a'], ['export', 'A=1', 'B'], ['let', DYN]]);
  });
});

describe('the fwguard side keeps only syntactic commands', () => {
  it('drops unwrapped and re-parsed inner commands and empty argv', () => {
    const fw = fwguardCommands("sudo rm x; bash -c 'rm y'; find . -exec rm {} \\; ; > f").commands;
    expect(fw).toEqual([
      ['sudo', 'rm', 'x'],
      ['bash', '-c', 'rm y'],
      ['find', '.', '-exec', 'rm', '{}', ';'],
    ]);
  });
});

describe('differential: fwguard walker vs mvdan/sh', () => {
  it('has a corpus of at least 300 distinct entries', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    const dup = corpus.filter((l, i) => corpus.indexOf(l) !== i);
    expect(dup, 'duplicate corpus entries').toEqual([]);
  });

  it('lists only entries that are in the corpus', () => {
    const missing = known.filter((k) => !corpus.includes(k));
    expect(missing, 'known-differences.md lists entries that corpus.txt does not hold').toEqual([]);
  });

  it('agrees on every corpus entry not listed in known-differences.md', () => {
    const checked = corpus.filter((l) => !knownSet.has(l));
    const failures = checked.map(compareLine).filter((c) => !c.agree);
    const summary = `${checked.length - failures.length} of ${checked.length} entries agree (${known.length} listed in known-differences.md)`;
    console.log(`[differential] ${summary}`);
    if (failures.length) {
      throw new Error(`${summary}\n\n${failures.map((f) => f.report).join('\n\n')}\n\nFix the walker, or add the entry to test/parser/known-differences.md with the reason.`);
    }
  });

  it('still disagrees on every listed entry (delete an entry once the walker is fixed)', () => {
    const nowAgree = known.filter((k) => compareLine(k).agree);
    expect(nowAgree, 'these entries agree now: remove them from known-differences.md').toEqual([]);
  });
});
