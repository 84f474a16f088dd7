// Walker bugs found by the mvdan-sh differential (test/parser/known-differences.md), one test each.
import { describe, expect, it } from 'vitest';
import { analyzeShell } from '../../src/shell/index.js';

const OPTS = { cwd: '/home/u/proj', home: '/home/u', env: { HOME: '/home/u' } };
const argvs = (line: string) => analyzeShell(line, OPTS).commands.filter((c) => c.argv.length).map((c) => c.argv);

describe('walker regressions', () => {
  it('visits substitutions in array subscripts', () => {
    expect(argvs('echo "${a[$(whoami)]}"')).toContainEqual(['whoami']);
    expect(argvs('a[$(rm -rf ~)]=1')).toContainEqual(['rm', '-rf', '/home/u']);
  });
  it('visits the header of an arithmetic for loop', () => {
    expect(argvs('for ((i=$(nproc); i>0; i--)); do echo $i; done')).toContainEqual(['nproc']);
  });
  it('visits backticks inside (( ))', () => {
    expect(argvs('(( x = `date +%s` ))')).toContainEqual(['date', '+%s']);
  });
  it('visits substitutions nested in expansions inside an unquoted heredoc body', () => {
    expect(argvs('cat <<EOF\n${x:-$(id -u)}\nEOF')).toContainEqual(['id', '-u']);
    expect(argvs('cat <<EOF\n$((1 + $(nproc)))\nEOF')).toContainEqual(['nproc']);
    expect(argvs("cat <<'EOF'\n$(rm -rf /)\nEOF")).not.toContainEqual(['rm', '-rf', '/']);
  });
  it('removes quotes inside brace alternatives', () => {
    expect(argvs('echo {"a b",c}')).toEqual([['echo', 'a b', 'c']]);
    expect(argvs("echo x{'1',2}")).toEqual([['echo', 'x1', 'x2']]);
  });
  it('does not expand a quoted tilde-prefix', () => {
    expect(argvs('ls ~"/x"')).toEqual([['ls', '~/x']]);
    expect(argvs('ls ~/x')).toEqual([['ls', '/home/u/x']]);
  });
  it('splits a resolved unquoted variable into fields, keeps a quoted one whole', () => {
    expect(argvs('x="rm -rf"; $x /tmp/a')).toContainEqual(['rm', '-rf', '/tmp/a']);
    expect(argvs('x="a b"; echo "$x"')).toContainEqual(['echo', 'a b']);
    expect(argvs('x="a b"; echo pre$x"q r"')).toContainEqual(['echo', 'prea', 'bq r']);
  });
  it('drops an unquoted expansion that resolves to nothing, keeps a quoted empty one', () => {
    expect(argvs('E=; rm -rf $E')).toContainEqual(['rm', '-rf']);
    expect(argvs('E=; rm -rf "$E"')).toContainEqual(['rm', '-rf', '']);
  });
  it('a program name from a line-local variable is flagged, one from $HOME is not', () => {
    const a = analyzeShell('x=rm; $x -rf /', OPTS).commands.find((c) => c.argv[0] === 'rm');
    expect(a?.nameFromVar).toBe(true);
    const b = analyzeShell('$HOME/bin/tool', OPTS).commands[0];
    expect(b?.nameFromVar).toBeUndefined();
  });
});
