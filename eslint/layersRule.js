// Lifeboat's layering as an ESLint rule, in the manner of VS Code's `code-import-patterns`: an
// allow-list per layer. Every linted file must belong to a layer (a file in no layer is itself an
// error), and every import it makes — static, dynamic `import()`, `export … from`, `require()` —
// must name a layer that layer may import, a Node built-in where the layer runs on Node, or an
// npm package on the layer's list. The table lives in eslint.config.js; tests/unit/tooling/layering.test.ts
// feeds violations to ESLint and expects each to fail.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** 'app/core/**' → a RegExp over repository-relative paths with forward slashes. */
function globToRegExp(glob) {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      out += `(?:${glob.slice(i + 1, end).split(',').map((s) => s.replace(/[.+^$()|[\]\\]/g, '\\$&')).join('|')})`;
      i = end;
    } else out += c.replace(/[.+^$()|[\]\\?]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** npm package name of a bare specifier: 'react-dom/client' → 'react-dom', '@scope/pkg/x' → '@scope/pkg'. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export function createLayersRule({ root, layers }) {
  const compiled = layers.map((layer) => ({ ...layer, patterns: layer.files.map(globToRegExp) }));
  const layerOf = (repoPath) => compiled.find((layer) => layer.patterns.some((re) => re.test(repoPath))) ?? null;
  const toRepoPath = (absolute) => relative(root, absolute).split(sep).join('/');

  return {
    meta: { type: 'problem', schema: [], docs: { description: 'imports follow the layer table (allow-lists)' } },
    create(context) {
      const filename = context.filename ?? context.getFilename();
      const here = toRepoPath(filename);
      const layer = layerOf(here);

      function check(node, source) {
        if (!layer || layer.anything) return;
        if (source === null) {
          context.report({ node, message: `${layer.name}: a dynamic import must name its module literally, so its layer can be checked` });
          return;
        }
        if (source.startsWith('.') || source.startsWith('/')) {
          const target = toRepoPath(resolve(dirname(filename), source));
          const targetLayer = layerOf(target);
          if (!targetLayer) {
            context.report({ node, message: `${layer.name} imports '${source}', which is in no layer` });
          } else if (!layer.imports.includes(targetLayer.name)) {
            context.report({ node, message: `${layer.name} may not import ${targetLayer.name} ('${source}'); ${layer.name} may import: ${layer.imports.join(', ')}` });
          }
          return;
        }
        if (NODE_BUILTINS.has(source)) {
          if (!layer.node) context.report({ node, message: `${layer.name} does not run on Node: no Node built-ins ('${source}')` });
          return;
        }
        const pkg = packageName(source);
        if (!layer.npm.includes(pkg)) {
          context.report({ node, message: `${layer.name} may not import the npm package '${pkg}'; allowed here: ${layer.npm.join(', ') || 'none'}` });
        }
      }

      const literal = (node) => (node?.type === 'Literal' && typeof node.value === 'string' ? node.value : node?.type === 'TemplateLiteral' && node.expressions.length === 0 ? node.quasis[0].value.cooked : null);

      return {
        Program(node) {
          if (!layer) context.report({ node, message: `${here} is in no layer of eslint.config.js: put it in a layer's folder, or add the folder to the table` });
        },
        ImportDeclaration: (node) => check(node, node.source.value),
        ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
        ExportAllDeclaration: (node) => check(node, node.source.value),
        ImportExpression: (node) => check(node, literal(node.source)),
        TSImportType: (node) => {
          const arg = node.argument?.literal ?? node.argument;
          const value = literal(arg);
          if (value !== null) check(node, value);
        },
        CallExpression(node) {
          if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1) check(node, literal(node.arguments[0]));
        },
      };
    },
  };
}
