// Without an upstream, a configuration that uses a hashicorp/aws type we do not implement cannot work. Terraform
// itself rejects such a type ("The provider hashicorp/aws does not support resource type ...") without ever asking
// the provider about it; the one call that comes before is ValidateProviderConfig, so that is where we say why and
// how to fix it. The types are read from the block headers of the configuration files Terraform loads (comments and
// heredoc bodies skipped, so only real blocks count).
import { codeOnly, QUOTED, unquote } from '../upstream/hcl';
import { UPSTREAM_ENV } from '../upstream/discovery';
import { errorDiagnostic, type Diagnostic } from '../protocol/tfplugin6';
import type { TextFile } from './working-directory';

export interface DeclaredTypes {
  resources: Set<string>;
  dataSources: Set<string>;
  ephemeralResources: Set<string>;
  /** Names of provider functions called as provider::<any local name>::<name>. */
  functions: Set<string>;
}

const KEYWORDS = { resource: 'resources', data: 'dataSources', ephemeral: 'ephemeralResources' } as const;

/** The hashicorp/aws types (`aws_*`) declared as resource, data or ephemeral blocks, and the functions called. */
export function declaredTypes(files: TextFile[]): DeclaredTypes {
  const found: DeclaredTypes = { resources: new Set(), dataSources: new Set(), ephemeralResources: new Set(), functions: new Set() };
  for (const file of files) {
    if (file.path.endsWith('.json')) fromJson(file.text, found);
    else fromHcl(file.text, found);
  }
  return found;
}

function fromHcl(text: string, found: DeclaredTypes): void {
  const code = codeOnly(text);
  for (const block of code.matchAll(new RegExp(String.raw`(?:^|\n)[ \t]*(resource|data|ephemeral)[ \t]+${QUOTED}`, 'g'))) {
    const type = unquote(block[2]!);
    if (type.startsWith('aws_')) found[KEYWORDS[block[1] as keyof typeof KEYWORDS]].add(type);
  }
  for (const call of code.matchAll(/\bprovider::[A-Za-z0-9_-]+::([A-Za-z0-9_]+)/g)) found.functions.add(call[1]!);
}

function fromJson(text: string, found: DeclaredTypes): void {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return;
  }
  if (!root || typeof root !== 'object') return;
  for (const [keyword, kind] of Object.entries(KEYWORDS)) {
    for (const blocks of asList((root as Record<string, unknown>)[keyword])) {
      for (const type of Object.keys(blocks)) if (type.startsWith('aws_')) found[kind].add(type);
    }
  }
  for (const call of text.matchAll(/\bprovider::[A-Za-z0-9_-]+::([A-Za-z0-9_]+)/g)) found.functions.add(call[1]!);
}

/** JSON configuration allows a block type to be an object or a list of objects. */
function asList(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter((v): v is Record<string, unknown> => !!v && typeof v === 'object');
  return value && typeof value === 'object' ? [value as Record<string, unknown>] : [];
}

export interface NativeNames {
  resources: Set<string>;
  dataSources: Set<string>;
  functions: Set<string>;
}

/**
 * One error naming every declared type (and called function) this provider does not implement, with how to make
 * hashicorp/aws available; none when everything declared is native. `problem` says why no upstream is usable.
 */
export function missingTypeDiagnostics(declared: DeclaredTypes, native: NativeNames, problem: string | undefined): Diagnostic[] {
  const missing = [
    ...[...declared.resources].filter((t) => !native.resources.has(t)),
    ...[...declared.dataSources].filter((t) => !native.dataSources.has(t)).map((t) => `data.${t}`),
    ...[...declared.ephemeralResources].map((t) => `ephemeral.${t}`),
    ...[...declared.functions].filter((f) => !native.functions.has(f)).map((f) => `provider::aws::${f}`),
  ].sort();
  if (missing.length === 0) return [];
  const implemented = [...native.resources, ...[...native.dataSources].map((t) => `data.${t}`)].sort().join(', ');
  return [
    errorDiagnostic(
      `hashicorp/aws is needed for ${missing.join(', ')}`,
      `This provider implements ${implemented} itself and hands every other hashicorp/aws type to the genuine ` +
        `hashicorp/aws provider, ${problem ? `which is not available: ${problem}` : 'which it could not find.'}\n\n` +
        'Make hashicorp/aws (a protocol 5 release, such as 5.100.0) available in one of these ways:\n' +
        `- set ${UPSTREAM_ENV} to its terraform-provider-aws_v*_x5 executable, or to a directory holding it;\n` +
        '- put it in the plugin cache (TF_PLUGIN_CACHE_DIR, or plugin_cache_dir in the CLI configuration), as a ' +
        'terraform init run with that cache does;\n' +
        '- put it in an unpacked filesystem mirror: a filesystem_mirror of the CLI configuration, or one of ' +
        "Terraform's implied local mirror directories such as ~/.terraform.d/plugins, as " +
        'registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/terraform-provider-aws_v<version>_x5.',
    ),
  ];
}
