// An esbuild plugin for the scripts that bundle test code (fuzz properties, hostile cases): their
// imports of src/… are pointed at the built dist/src/… (the code under test), left external.
import { join, resolve } from 'node:path';

export function srcToDist(root) {
  return {
    name: 'src-to-dist',
    setup(b) {
      b.onResolve({ filter: /(^|\/)src\// }, (args) => {
        if (!args.path.startsWith('.')) return undefined;
        const abs = resolve(args.resolveDir, args.path);
        if (!abs.startsWith(join(root, 'src') + '/')) return undefined;
        return { path: join(root, 'dist', abs.slice(root.length + 1)), external: true };
      });
    },
  };
}
