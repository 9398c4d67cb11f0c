// Finding the genuine hashicorp/aws binary to delegate to.
//
// TF_AWS_UPSTREAM_PROVIDER names it (an executable, or a directory to search), or `none` to never delegate. Unset,
// we look where Terraform itself keeps providers, in the unpacked layout
// `registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/terraform-provider-aws_v<version>_x5`:
//   - the working directory's `.terraform/providers/` (TF_DATA_DIR moves `.terraform`), filled by `terraform init`;
//   - the plugin cache (TF_PLUGIN_CACHE_DIR, or plugin_cache_dir in the CLI configuration);
//   - the CLI configuration's filesystem_mirror paths;
//   - Terraform's implied local mirror directories (terraform.d/plugins, ~/.terraform.d/plugins, and the
//     platform's data directories: $XDG_DATA_HOME and $XDG_DATA_DIRS /terraform/plugins on Linux).
// The highest release found wins (the earlier place on a tie). Packed mirrors (zip archives) are not read.
import { readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { homeOf, type Environment, type Launch } from '../protocol/launch';
import { readCliConfig } from './cli-config';

export const UPSTREAM_ENV = 'TF_AWS_UPSTREAM_PROVIDER';
const PROVIDER_PATH = join('registry.terraform.io', 'hashicorp', 'aws');
const BINARY_NAME = /^terraform-provider-aws(?:_v([^_]+)(?:_x(\d+))?)?(?:\.exe)?$/;

export interface UpstreamBinary {
  /** Absolute path of the executable. */
  path: string;
  /** Its version, from the directory layout or the file name, when known. */
  version?: string;
  /** Why this one: where it was found. */
  reason: string;
}

export type Discovery =
  | { kind: 'found'; binary: UpstreamBinary; candidates: UpstreamBinary[] }
  | { kind: 'disabled' }
  /** Nothing found; `searched` lists the places looked at. */
  | { kind: 'none'; searched: string[] }
  /** TF_AWS_UPSTREAM_PROVIDER is set but unusable. */
  | { kind: 'invalid'; message: string };

export interface DiscoveryContext {
  env: Environment;
  cwd: string;
  home: string;
  /** Node's process.platform / process.arch. */
  platform: string;
  arch: string;
  /** The running provider's own executable, never to be delegated to. */
  self?: string;
}

/** Where a launch looks: its environment, directory and home, on this machine's platform, never at itself. */
export function discoveryContext(launch: Pick<Launch, 'env' | 'cwd' | 'executable'>): DiscoveryContext {
  return { env: launch.env, cwd: launch.cwd, home: homeOf(launch), platform: process.platform, arch: process.arch, self: launch.executable };
}

export function discoverUpstream(context: DiscoveryContext): Discovery {
  const explicit = context.env[UPSTREAM_ENV];
  if (explicit?.trim().toLowerCase() === 'none') return { kind: 'disabled' };
  if (explicit) return fromExplicit(resolve(context.cwd, explicit), context);

  const platformDir = goPlatform(context.platform, context.arch);
  const roots = searchRoots(context);
  const candidates = roots.flatMap(({ dir, reason }) => inProviderRoot(dir, platformDir, reason)).filter((c) => !isSelf(c.path, context));
  const best = highest(candidates);
  if (!best) return { kind: 'none', searched: roots.map((r) => r.dir) };
  return { kind: 'found', binary: best, candidates };
}

function fromExplicit(path: string, context: DiscoveryContext): Discovery {
  const stat = statOrUndefined(path);
  if (!stat) return { kind: 'invalid', message: `${UPSTREAM_ENV} names ${path}, which does not exist.` };
  const reason = `${UPSTREAM_ENV}=${context.env[UPSTREAM_ENV]}`;
  if (stat.isFile()) {
    if (!isExecutable(path, context.platform)) return { kind: 'invalid', message: `${UPSTREAM_ENV} names ${path}, which is not executable.` };
    if (isSelf(path, context)) return { kind: 'invalid', message: `${UPSTREAM_ENV} names this provider itself (${path}); it must name the hashicorp/aws binary.` };
    const version = BINARY_NAME.exec(basename(path))?.[1];
    return { kind: 'found', binary: { path, version, reason }, candidates: [] };
  }
  const platformDir = goPlatform(context.platform, context.arch);
  const candidates = [...binariesIn(path, undefined, reason), ...inProviderRoot(path, platformDir, reason)].filter((c) => !isSelf(c.path, context));
  const best = highest(candidates);
  if (!best) {
    return {
      kind: 'invalid',
      message: `${UPSTREAM_ENV} names the directory ${path}, which holds no terraform-provider-aws_v* executable for ${platformDir} (directly or as ${join(PROVIDER_PATH, '<version>', platformDir)}).`,
    };
  }
  return { kind: 'found', binary: best, candidates };
}

/** Every directory holding providers in Terraform's layout, in the order Terraform would consider them. */
function searchRoots(context: DiscoveryContext): { dir: string; reason: string }[] {
  const { env, cwd, home } = context;
  const roots: { dir: string; reason: string }[] = [];
  const dataDir = resolve(cwd, env.TF_DATA_DIR || '.terraform');
  roots.push({ dir: join(dataDir, 'providers'), reason: 'installed by terraform init in this working directory' });
  const cli = readCliConfig(env, home, cwd);
  if (cli.pluginCacheDir) roots.push({ dir: resolve(cwd, cli.pluginCacheDir), reason: 'the plugin cache directory' });
  for (const mirror of cli.filesystemMirrors) roots.push({ dir: resolve(cwd, mirror), reason: 'a filesystem_mirror of the CLI configuration' });
  for (const dir of impliedMirrors(context)) roots.push({ dir, reason: "one of Terraform's implied local mirror directories" });
  return roots;
}

/** Terraform's implied local mirror directories (provider_source.go, and go-userdirs' data search paths). */
function impliedMirrors({ env, cwd, home, platform }: DiscoveryContext): string[] {
  const dirs = [join(cwd, 'terraform.d', 'plugins')];
  if (platform === 'win32') {
    dirs.push(join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'terraform.d', 'plugins'));
    dirs.push(join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'HashiCorp', 'Terraform', 'plugins'));
  } else if (platform === 'darwin') {
    dirs.push(join(home, '.terraform.d', 'plugins'));
    dirs.push(join(home, 'Library', 'Application Support', 'io.terraform', 'plugins'));
    dirs.push(join('/Library', 'Application Support', 'io.terraform', 'plugins'));
  } else {
    dirs.push(join(home, '.terraform.d', 'plugins'));
    dirs.push(join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'terraform', 'plugins'));
    for (const dir of (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':').filter(isAbsolute)) {
      dirs.push(join(dir, 'terraform', 'plugins'));
    }
  }
  return dirs;
}

/** The binaries under `<root>/registry.terraform.io/hashicorp/aws/<version>/<platform>/`. */
function inProviderRoot(root: string, platformDir: string, reason: string): UpstreamBinary[] {
  const base = join(root, PROVIDER_PATH);
  return listDir(base).flatMap((version) => binariesIn(join(base, version, platformDir), version, `${reason} (${root})`));
}

function binariesIn(dir: string, version: string | undefined, reason: string): UpstreamBinary[] {
  const found: UpstreamBinary[] = [];
  for (const name of listDir(dir)) {
    const match = BINARY_NAME.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    const stat = statOrUndefined(path);
    if (!stat?.isFile() || !isExecutable(path, process.platform)) continue;
    found.push({ path, version: version ?? match[1], reason });
  }
  return found;
}

/** The highest release (pre-releases only when there is nothing else, as Terraform never picks one unasked). */
function highest(candidates: UpstreamBinary[]): UpstreamBinary | undefined {
  const releases = candidates.filter((c) => c.version !== undefined && !c.version.includes('-'));
  let best: UpstreamBinary | undefined;
  for (const candidate of releases.length > 0 ? releases : candidates) {
    if (!best || compareVersions(candidate.version, best.version) > 0) best = candidate;
  }
  return best;
}

/** Semantic version order; a pre-release sorts before its release; an unknown version sorts first. */
export function compareVersions(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const parse = (v: string) => {
    const [core = '', pre] = v.replace(/^v/, '').split(/-(.*)/s, 2);
    return { parts: core.split('.').map((n) => Number.parseInt(n, 10) || 0), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.parts.length, y.parts.length); i++) {
    const d = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (d !== 0) return d;
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** Terraform's `<os>_<arch>` directory name for Node's platform and architecture. */
export function goPlatform(platform: string, arch: string): string {
  const os = platform === 'win32' ? 'windows' : platform;
  const goArch: Record<string, string> = { x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x' };
  return `${os}_${goArch[arch] ?? arch}`;
}

function isSelf(path: string, context: DiscoveryContext): boolean {
  if (!context.self) return false;
  try {
    return realpathSync(path) === realpathSync(context.self);
  } catch {
    return false;
  }
}

function isExecutable(path: string, platform: string): boolean {
  if (platform === 'win32') return true;
  return ((statOrUndefined(path)?.mode ?? 0) & 0o111) !== 0;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
