// A provider instance reads the environment, working directory and home of its launch (src/protocol/launch.ts), never
// the process's: a warm server serves launches of other directories in one process. This test fails on any read of
// the process's environment or directory under src/ outside the entry points (src/main.ts, src/warm/,
// src/compile-cache.ts) and the embedded endpoint (src/local-aws/, a program of its own). It reads the code as
// TypeScript does, so comments and strings that mention process.env do not count.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import t from 'tap';
import ts from 'typescript';

const SRC = join(__dirname, '..', '..', 'src');
const ALLOWED = ['main.ts', 'compile-cache.ts', `warm${sep}`, `local-aws${sep}`];

/** process.env and process.cwd(), and the os functions that consult the process's environment ($HOME, $TMPDIR). */
const PROCESS_READS = new Set(['env', 'cwd']);
const OS_READS = new Set(['homedir', 'tmpdir']);
const MODULES: Record<string, Set<string>> = { process: PROCESS_READS, 'node:process': PROCESS_READS, os: OS_READS, 'node:os': OS_READS };

/** Each read of the process's environment or directory in a source text, as `line: code`. */
function processReads(text: string, fileName = 'file.ts'): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const report = (node: ts.Node) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    found.push(`${line}: ${node.getText(source)}`);
  };
  // Names bound to the whole module (`import process from 'node:process'`, `import * as os from 'os'`).
  const moduleNames = new Map<string, Set<string>>([['process', PROCESS_READS]]);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const reads = MODULES[node.moduleSpecifier.text];
      const clause = node.importClause;
      if (reads && clause) {
        if (clause.name) moduleNames.set(clause.name.text, reads);
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) moduleNames.set(bindings.name.text, reads);
        if (bindings && ts.isNamedImports(bindings)) {
          for (const element of bindings.elements) if (reads.has((element.propertyName ?? element.name).text)) report(element);
        }
      }
    }
    // process.env, os.homedir, globalThis.process.env
    if (ts.isPropertyAccessExpression(node) && readsOf(node.expression, moduleNames)?.has(node.name.text)) report(node);
    // process['env']
    if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression) && readsOf(node.expression, moduleNames)?.has(node.argumentExpression.text)) {
      report(node);
    }
    // const { env } = process
    if (ts.isVariableDeclaration(node) && node.initializer && ts.isObjectBindingPattern(node.name)) {
      const reads = readsOf(node.initializer, moduleNames);
      for (const element of node.name.elements) {
        const name = element.propertyName ?? element.name;
        if (reads && ts.isIdentifier(name) && reads.has(name.text)) report(element);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The reads an expression gives access to when it names the process or os module, else undefined. */
function readsOf(expression: ts.Expression, moduleNames: Map<string, Set<string>>): Set<string> | undefined {
  if (ts.isIdentifier(expression)) return moduleNames.get(expression.text);
  if (ts.isPropertyAccessExpression(expression) && expression.name.text === 'process' && ts.isIdentifier(expression.expression) && /^(globalThis|global)$/.test(expression.expression.text)) {
    return PROCESS_READS;
  }
  return undefined;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

t.test('the checker finds every form of a read, and nothing in comments or strings', async (t) => {
  t.same(processReads('const a = process.env.HOME;'), ['1: process.env']);
  t.same(processReads('const dir = process.cwd();'), ['1: process.cwd']);
  t.same(processReads("const a = process['env'];"), ["1: process['env']"]);
  t.same(processReads('const { env, pid } = process;'), ['1: env']);
  t.same(processReads('const { cwd: here } = process;'), ['1: cwd: here']);
  t.same(processReads('const a = globalThis.process.env;'), ['1: globalThis.process.env']);
  t.same(processReads("import { env } from 'node:process';"), ['1: env']);
  t.same(processReads("import proc from 'process';\nconst a = proc.env;"), ['2: proc.env']);
  t.same(processReads("import { homedir as home } from 'node:os';"), ['1: homedir as home']);
  t.same(processReads("import * as os from 'os';\nos.tmpdir();"), ['2: os.tmpdir']);
  t.same(processReads("import { userInfo } from 'node:os';\nconst h = userInfo().homedir;"), [], 'the account database is not the environment');
  t.same(processReads('// process.env.HOME\n/* process.cwd() */\nconst s = "process.env.X";\nconst u = `process.env`;'), [], 'comments and strings');
  t.same(processReads('const p = process.pid + process.ppid; const a = process.argv; const e = launch.env;'), [], "the process's identity and a launch's environment");
});

t.test('src/ reads the process only in its entry points', async (t) => {
  const files = sourceFiles(SRC);
  t.ok(files.length > 50, `${files.length} source files read`);
  const checked = files.filter((file) => !ALLOWED.some((allowed) => relative(SRC, file) === allowed || relative(SRC, file).startsWith(allowed)));
  t.ok(checked.some((file) => file.endsWith(join('aws', 'credentials.ts'))), 'the AWS layer is checked');
  const reads = checked.flatMap((file) => processReads(readFileSync(file, 'utf8'), file).map((read) => `src/${relative(SRC, file)}:${read}`));
  t.same(reads, [], 'read the launch (src/protocol/launch.ts) instead: a warm server serves launches of other directories and environments');
});
