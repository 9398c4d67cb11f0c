// Which of hashicorp/aws's 2,141 type schemas a Terraform command can need, so that the merged schema holds only those.
//
// Why: Terraform decodes and validates every schema a provider returns, and for hashicorp/aws's full set that costs
// about 1.5 s of CPU and 150 MB in the terraform process on every command (measured, see bench/). A command can
// only ever ask about resource and data source types that appear in the configuration or in the state: those are
// the only ones Terraform looks up. So when the configuration (root module and installed modules) and the state
// (local, in its default place) are readable, the scope is every `aws_*` word found in their text — a superset:
// comments, strings and references count too, and a word that is no type costs nothing. When any of that cannot
// be read for certain, or the command may want everything (`terraform providers schema`, a saved plan file,
// unknown commands), the scope is all types. Ephemeral resources and functions are few and always served.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { commandWords, configurationFiles, localStateFiles, subcommand, type RunContext, type TextFile } from './working-directory';

export type SchemaScope = { all: true; reason: string } | { all: false; names: Set<string> };

/** Commands whose schema needs are exactly the configuration's and the state's types. */
const SCOPED_COMMANDS = new Set(['plan', 'apply', 'destroy', 'refresh', 'validate', 'import', 'console', 'graph', 'show', 'state', 'taint', 'untaint', 'output']);

export function schemaScope(run: RunContext): SchemaScope {
  const command = subcommand(run);
  if (command === undefined) return { all: true, reason: "Terraform's command line is not readable" };
  if (!SCOPED_COMMANDS.has(command)) return { all: true, reason: `terraform ${command} may ask about any type` };
  const words = commandWords(run);
  if (words.some((word) => /^--?config(=|$)/.test(word))) return { all: true, reason: 'a configuration directory is given on the command line' };
  if ((command === 'apply' || command === 'show') && words.slice(words.indexOf(command) + 1).some((word) => !word.startsWith('-') && existsSync(resolve(run.cwd, word)))) {
    return { all: true, reason: `terraform ${command} reads a saved plan or state file` };
  }
  const configuration = configurationFiles(run);
  const state = localStateFiles(run, configuration);
  if (!state) return { all: true, reason: 'the state is not in a local file in its default place' };
  const names = new Set<string>();
  for (const file of [...configuration, ...state]) for (const word of awsWords(file)) names.add(word);
  return { all: false, names };
}

/** Every `aws_...` word of the file, with \u escapes (HCL or JSON) resolved first so none hides a type name. */
function awsWords(file: TextFile): string[] {
  const text = file.text.includes('\\u') ? file.text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))) : file.text;
  return text.match(/aws_[a-z0-9_]+/g) ?? [];
}
