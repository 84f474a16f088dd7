// Shell syntax highlighting for the prompt: a small lexer (not the policy parser; only colours
// depend on it). Programs, options, strings, variables, operators and comments get a style each.

export type Style = 'program' | 'option' | 'string' | 'variable' | 'operator' | 'comment' | 'plain';

export interface Token {
  text: string;
  style: Style;
}

const OPERATORS = ['&&', '||', ';;', '|&', '>>', '<<<', '<<', '&>', '>&', '<&', '>|', '|', ';', '&', '>', '<', '(', ')', '{', '}'];
const COMMAND_START = new Set(['&&', '||', '|', '|&', ';', '&', '(', '{', '\n']);
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'in', 'function', 'sudo', 'env', 'time', 'xargs', 'nohup', '!']);

/** Split a command line into styled tokens whose texts concatenate to the input. */
export function highlight(line: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let atStart = true;
  const push = (text: string, style: Style) => {
    if (text) out.push({ text, style });
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      let j = i;
      while (j < line.length && (line[j] === ' ' || line[j] === '\t')) j++;
      push(line.slice(i, j), 'plain');
      i = j;
      continue;
    }
    if (c === '\n') {
      push('\n', 'plain');
      atStart = true;
      i++;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      const j = line.indexOf('\n', i);
      push(line.slice(i, j === -1 ? line.length : j), 'comment');
      i = j === -1 ? line.length : j;
      continue;
    }
    const op = OPERATORS.find((o) => line.startsWith(o, i));
    if (op) {
      push(op, 'operator');
      atStart = COMMAND_START.has(op);
      i += op.length;
      continue;
    }
    // One word: quotes and $… inside it keep their own styles.
    const start = out.length;
    let j = i;
    let word = '';
    while (j < line.length && !/[\s|&;<>()]/.test(line[j]!)) {
      const ch = line[j]!;
      if (ch === "'" || ch === '"') {
        const close = line.indexOf(ch, j + 1);
        const end = close === -1 ? line.length : close + 1;
        push(line.slice(j, end), 'string');
        word += line.slice(j, end);
        j = end;
        continue;
      }
      if (ch === '$') {
        const m = /^\$(\{[^}]*\}?|\(\(?|[A-Za-z_]\w*|[0-9@*#?$!-])/.exec(line.slice(j));
        const text = m ? m[0] : '$';
        push(text, 'variable');
        word += text;
        j += text.length;
        continue;
      }
      if (ch === '\\' && j + 1 < line.length) {
        push(line.slice(j, j + 2), 'plain');
        word += line.slice(j, j + 2);
        j += 2;
        continue;
      }
      let k = j;
      while (k < line.length && !/[\s|&;<>()'"$\\]/.test(line[k]!)) k++;
      const text = line.slice(j, k);
      const isAssign = atStart && /^[A-Za-z_]\w*=/.test(text) && out.length === start;
      push(text, atStart && !isAssign ? 'program' : text.startsWith('-') && out.length === start ? 'option' : isAssign ? 'variable' : 'plain');
      word += text;
      j = k;
    }
    if (j === i) {
      // A lone character no rule above consumed.
      push(line[i]!, 'plain');
      j = i + 1;
    }
    const assignment = /^[A-Za-z_]\w*=/.test(word);
    atStart = atStart && (assignment || KEYWORDS.has(word));
    i = j;
  }
  return out;
}
