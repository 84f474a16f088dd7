import { describe, it, expect } from 'vitest';
import { readers, destructiveSql, destructiveMongo, splitSql, stdinText } from '../../src/actions/db.js';
import type { Action, SimpleCommand, StdinSource } from '../../src/types.js';
import { sc, ENV } from '../helpers/sc.js';

function read(argv: string[], over: Partial<SimpleCommand> = {}): Action[] {
  const reader = readers[argv[0]!];
  if (!reader) throw new Error(`no reader for ${argv[0]}`);
  return reader(sc(argv, over), 1, ENV);
}
const heredoc = (text: string): { stdin: StdinSource } => ({ stdin: { kind: 'heredoc', text, quoted: true } });
const pipe = (...from: string[][]): { stdin: StdinSource } => ({ stdin: { kind: 'pipe', from: from.map((a) => sc(a)) } });
const types = (as: Action[]) => as.map((a) => a.type);
const statements = (as: Action[]) => as.flatMap((a) => (a.type === 'db.mutate' ? [a.statement] : []));

describe('destructiveSql', () => {
  it('catches DROP, TRUNCATE, unscoped DELETE/UPDATE and ALTER TABLE … DROP', () => {
    expect(destructiveSql('DROP TABLE users')).toEqual(['DROP TABLE users']);
    expect(destructiveSql('drop database prod;')).toEqual(['drop database prod']);
    expect(destructiveSql('DROP SCHEMA public CASCADE')).toHaveLength(1);
    expect(destructiveSql('DROP INDEX idx_a')).toHaveLength(1);
    expect(destructiveSql('TRUNCATE orders')).toHaveLength(1);
    expect(destructiveSql('DELETE FROM sessions')).toEqual(['DELETE FROM sessions']);
    expect(destructiveSql('update users set admin = true')).toHaveLength(1);
    expect(destructiveSql('ALTER TABLE t DROP COLUMN email')).toHaveLength(1);
  });
  it('leaves scoped and read-only statements alone', () => {
    expect(destructiveSql('SELECT 1')).toEqual([]);
    expect(destructiveSql('DELETE FROM t WHERE id=1')).toEqual([]);
    expect(destructiveSql("UPDATE t SET a = 1 WHERE id IN (SELECT id FROM u)")).toEqual([]);
    expect(destructiveSql('INSERT INTO t VALUES (1)')).toEqual([]);
    expect(destructiveSql('ALTER TABLE t ALTER COLUMN c DROP DEFAULT')).toEqual([]);
    expect(destructiveSql('ALTER TABLE t ADD COLUMN c int')).toEqual([]);
  });
  it('ignores keywords inside strings and comments', () => {
    expect(destructiveSql("SELECT 'DROP TABLE x; DELETE FROM y'")).toEqual([]);
    expect(destructiveSql('-- DROP TABLE x\nSELECT 1')).toEqual([]);
    expect(destructiveSql('/* TRUNCATE t; */ SELECT 2')).toEqual([]);
    expect(destructiveSql("INSERT INTO log VALUES ('it''s; DROP TABLE x')")).toEqual([]);
  });
  it('a WHERE hidden in a comment or string does not scope a DELETE', () => {
    expect(destructiveSql('DELETE FROM t -- WHERE id = 1')).toHaveLength(1);
    expect(destructiveSql("DELETE FROM t RETURNING 'WHERE'")).toHaveLength(1);
  });
  it('a WHERE only inside a subquery does not scope the outer statement', () => {
    expect(destructiveSql('UPDATE t SET a = (SELECT max(a) FROM u WHERE u.x = 1)')).toHaveLength(1);
  });
  it('splits statements on ; outside quotes and checks each', () => {
    expect(destructiveSql('SELECT 1; DROP TABLE a; SELECT 2')).toEqual(['DROP TABLE a']);
    expect(splitSql("SELECT ';'; SELECT 2").statements).toHaveLength(2);
  });
  it('sees through CTEs and DO blocks', () => {
    expect(destructiveSql('WITH x AS (SELECT 1) DELETE FROM t')).toHaveLength(1);
    expect(destructiveSql('WITH x AS (SELECT 1) DELETE FROM t WHERE id IN (SELECT * FROM x)')).toEqual([]);
    expect(destructiveSql('DO $$ BEGIN DROP TABLE old; END $$')).toHaveLength(1);
    expect(destructiveSql("CREATE FUNCTION f() RETURNS void AS $$ DROP TABLE x $$ LANGUAGE sql")).toEqual([]);
  });
});

describe('psql', () => {
  it('psql -c "DROP TABLE x" is a mutate', () => {
    expect(read(['psql', '-h', 'db', '-U', 'app', '-c', 'DROP TABLE users'])).toEqual([
      { cmd: 1, program: 'psql', type: 'db.mutate', client: 'psql', statement: 'DROP TABLE users' },
    ]);
    expect(statements(read(['psql', '--command=TRUNCATE t', 'mydb']))).toEqual(['TRUNCATE t']);
  });
  it('psql -c "SELECT 1" and interactive psql are nothing', () => {
    expect(read(['psql', '-c', 'SELECT 1'])).toEqual([]);
    expect(read(['psql', 'postgres://localhost/app'])).toEqual([]);
    expect(read(['psql', '-c', 'DELETE FROM t WHERE id=1'])).toEqual([]);
  });
  it('reads SQL from a heredoc or a pipe', () => {
    expect(statements(read(['psql', 'app'], heredoc('BEGIN;\nDELETE FROM jobs;\nCOMMIT;')))).toEqual(['DELETE FROM jobs']);
    expect(statements(read(['psql'], pipe(['echo', 'DROP DATABASE app'])))).toEqual(['DROP DATABASE app']);
    expect(statements(read(['psql'], pipe(['printf', '%s;\\n', 'TRUNCATE logs'])))).toEqual(['TRUNCATE logs']);
    expect(statements(read(['psql'], pipe(['cat'], )))).toEqual([]);
  });
  it('-f file is a read only', () => {
    const as = read(['psql', '-f', 'migrate.sql']);
    expect(as).toEqual([{ cmd: 1, program: 'psql', type: 'file.read', paths: [{ raw: 'migrate.sql', abs: '/home/u/proj/migrate.sql', glob: false }] }]);
  });
  it('a meta-command shell escape is dynamic code; \\i is a read', () => {
    expect(types(read(['psql', '-c', '\\! rm -rf /tmp/x']))).toEqual(['code.dynamic']);
    expect(types(read(['psql'], heredoc('\\i other.sql\nSELECT 1;')))).toEqual(['file.read']);
  });
});

describe('mysql / mariadb', () => {
  it('-e / --execute destructive statements are mutates', () => {
    expect(statements(read(['mysql', '-u', 'root', '-psecret', '-e', 'DROP DATABASE shop']))).toEqual(['DROP DATABASE shop']);
    expect(statements(read(['mariadb', '--execute=delete from carts']))).toEqual(['delete from carts']);
  });
  it('-pSECRET never swallows the next word, and -Ne works', () => {
    expect(statements(read(['mysql', '-pe', 'db', '-Ne', 'TRUNCATE t']))).toEqual(['TRUNCATE t']);
  });
  it('# comments are comments in MySQL', () => {
    expect(read(['mysql', '-e', '# DROP TABLE x\nSELECT 1'])).toEqual([]);
  });
  it('stdin heredoc', () => {
    expect(statements(read(['mysql', 'shop'], heredoc('UPDATE products SET price = 0;')))).toEqual(['UPDATE products SET price = 0']);
    expect(read(['mysql', 'shop'], heredoc('UPDATE products SET price = 0 WHERE id = 3;'))).toEqual([]);
  });
  it('a mysql client reading a dump file on stdin shows nothing here', () => {
    expect(read(['mysql', 'shop'], { stdin: { kind: 'file', path: 'dump.sql', dynamic: false } })).toEqual([]);
  });
});

describe('sqlite3', () => {
  it('sqlite3 DB "SQL" checks the SQL', () => {
    expect(statements(read(['sqlite3', 'app.db', 'DELETE FROM users']))).toEqual(['DELETE FROM users']);
    expect(read(['sqlite3', 'app.db', 'SELECT * FROM users'])).toEqual([]);
    expect(read(['sqlite3', '-header', '-csv', 'app.db', '.tables'])).toEqual([]);
  });
  it('stdin and -cmd are read too', () => {
    expect(statements(read(['sqlite3', 'app.db'], heredoc('.headers on\nDROP TABLE t;')))).toEqual(['DROP TABLE t']);
    expect(statements(read(['sqlite3', '-cmd', 'DROP VIEW v', 'app.db']))).toEqual(['DROP VIEW v']);
  });
  it('.shell is dynamic code', () => {
    expect(types(read(['sqlite3', 'app.db', '.shell rm -rf x']))).toEqual(['code.dynamic']);
  });
});

describe('redis-cli', () => {
  it('FLUSHALL / flushdb as arguments', () => {
    expect(read(['redis-cli', 'FLUSHALL'])).toEqual([{ cmd: 1, program: 'redis-cli', type: 'db.mutate', client: 'redis-cli', statement: 'FLUSHALL' }]);
    expect(statements(read(['redis-cli', '-h', 'cache', '-n', '1', 'flushdb']))).toEqual(['FLUSHDB']);
    expect(statements(read(['redis-cli', '-a', 'pw', 'flushall', 'async']))).toEqual(['FLUSHALL async']);
  });
  it('FLUSHALL via stdin', () => {
    expect(statements(read(['redis-cli'], pipe(['echo', 'FLUSHALL'])))).toEqual(['FLUSHALL']);
    expect(statements(read(['redis-cli'], heredoc('PING\nflushdb\n')))).toEqual(['FLUSHDB']);
  });
  it('look-alikes are nothing', () => {
    expect(read(['redis-cli', 'GET', 'flushall'])).toEqual([]);
    expect(read(['redis-cli', 'DEL', 'key'])).toEqual([]);
    expect(read(['redis-cli', '-n', '1'])).toEqual([]);
    expect(read(['redis-cli', '-x', 'SET', 'k'], pipe(['echo', 'FLUSHALL']))).toEqual([]);
  });
});

describe('mongo / mongosh', () => {
  it('dropDatabase(), .drop(), deleteMany({}) are mutates', () => {
    expect(destructiveMongo('db.dropDatabase()')).toHaveLength(1);
    expect(destructiveMongo('db.users.drop()')).toHaveLength(1);
    expect(destructiveMongo('db.users.deleteMany({})')).toHaveLength(1);
    expect(destructiveMongo('db.users.deleteMany( { } )')).toHaveLength(1);
    expect(statements(read(['mongosh', 'mongodb://h/app', '--eval', 'db.dropDatabase()']))).toEqual(['db.dropDatabase()']);
    expect(statements(read(['mongo', '--quiet', '--eval', 'db.logs.remove({})']))).toHaveLength(1);
  });
  it('scoped deletes, dropIndex and reads are nothing', () => {
    expect(destructiveMongo('db.users.deleteMany({ age: { $lt: 18 } })')).toEqual([]);
    expect(destructiveMongo('db.users.dropIndex("a_1")')).toEqual([]);
    expect(read(['mongosh', '--eval', 'db.users.find()'])).toEqual([]);
  });
  it('stdin JS and .js files', () => {
    expect(statements(read(['mongosh', 'app'], heredoc('use app\ndb.sessions.drop()\n')))).toHaveLength(1);
    expect(types(read(['mongosh', 'app', 'script.js']))).toEqual(['file.read']);
  });
});

describe('stdinText', () => {
  it('reads echo -e, printf and cat <<EOF upstream', () => {
    expect(stdinText(sc(['x'], pipe(['echo', '-e', 'a\\nb'])))).toBe('a\nb');
    expect(stdinText(sc(['x'], pipe(['printf', 'DROP TABLE %s;', 'users'])))).toBe('DROP TABLE users;');
    const cat = sc(['cat'], heredoc('TRUNCATE t;'));
    expect(stdinText(sc(['x'], { stdin: { kind: 'pipe', from: [cat] } }))).toBe('TRUNCATE t;');
    expect(stdinText(sc(['x'], pipe(['curl', 'https://x'])))).toBe('');
    expect(stdinText(sc(['x']))).toBeNull();
  });
});
