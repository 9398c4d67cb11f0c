// The child's schema, kept on disk so that no launch after the first starts hashicorp/aws just to describe itself.
//
// hashicorp/aws's GetSchema answer is ~5 MB of protobuf (~13.6 MB as JSON): 1,526 resources, 608 data sources,
// 7 ephemeral resources, 3 functions. Decoding and re-encoding it with protobufjs takes seconds, so it is done once
// per binary: each type's schema is stored already encoded as one tfplugin6 GetProviderSchema.Response map entry.
// Protobuf messages concatenate (map entries and repeated fields append), so the router builds its answer by
// joining the entries it wants with its own encoded fields, with no decoding at all.
//
// One file per binary path under $XDG_CACHE_HOME (default ~/.cache)/terraform-provider-aws-ts/upstream-schemas/,
// valid while the binary's size, mtime and inode are unchanged: a magic line, a JSON header (on one line), then
// the entries. Written to a temporary file and renamed, so concurrent commands never read a partial file.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { pluginDescriptors } from '../protocol/definitions';
import { homeOf, type LaunchPlace } from '../protocol/launch';
import type * as tf from '../protocol/tfplugin6';

const MAGIC = 'terraform-provider-aws-ts upstream schema 1\n';
const RESPONSE = 'tfplugin6.GetProviderSchema.Response';

/** The map fields of GetProviderSchema.Response that hold the upstream's types. */
export const SCHEMA_KINDS = ['resource_schemas', 'data_source_schemas', 'ephemeral_resource_schemas', 'functions'] as const;
export type SchemaKind = (typeof SCHEMA_KINDS)[number];

/** What identifies one build of the binary without reading its 700 MB. */
export interface BinaryIdentity {
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

interface Header {
  identity: BinaryIdentity;
  server_capabilities: tf.ServerCapabilities;
  /** [offset, length] in the body of the encoded provider schema, and of each type's map entry. */
  provider: [number, number];
  entries: Record<SchemaKind, Record<string, [number, number]>>;
}

export class UpstreamSchema {
  private providerSchemaDecoded: tf.Schema | undefined;

  constructor(
    private readonly header: Header,
    private readonly body: Buffer,
  ) {}

  get serverCapabilities(): tf.ServerCapabilities {
    return this.header.server_capabilities;
  }

  names(kind: SchemaKind): string[] {
    return Object.keys(this.header.entries[kind]);
  }

  has(kind: SchemaKind, name: string): boolean {
    return Object.hasOwn(this.header.entries[kind], name);
  }

  /** The encoded map entries of the types `select` keeps: each one a valid GetProviderSchema.Response on its own. */
  encodedEntries(select: (kind: SchemaKind, name: string) => boolean): Buffer[] {
    const chosen: Buffer[] = [];
    for (const kind of SCHEMA_KINDS) {
      for (const [name, [offset, length]] of Object.entries(this.header.entries[kind])) {
        if (select(kind, name)) chosen.push(this.body.subarray(offset, offset + length));
      }
    }
    return chosen;
  }

  /** The upstream's provider block schema (its configuration is re-encoded for it). */
  providerSchema(): tf.Schema {
    this.providerSchemaDecoded ??= (this.decode(this.header.provider) as tf.GetProviderSchemaResponse).provider;
    return this.providerSchemaDecoded;
  }

  functions(): Record<string, tf.FunctionDefinition> {
    const out: Record<string, tf.FunctionDefinition> = {};
    for (const range of Object.values(this.header.entries.functions)) {
      Object.assign(out, (this.decode(range) as tf.GetProviderSchemaResponse).functions);
    }
    return out;
  }

  private decode([offset, length]: [number, number]): unknown {
    return pluginDescriptors.decode(RESPONSE, this.body.subarray(offset, offset + length));
  }
}

/** The launch's cache directory: $XDG_CACHE_HOME (absolute, as the XDG spec requires), else ~/.cache. */
export function schemaCacheDir(launch: LaunchPlace): string {
  const xdg = launch.env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homeOf(launch), '.cache'), 'terraform-provider-aws-ts', 'upstream-schemas');
}

export function binaryIdentity(binary: string): BinaryIdentity {
  const path = realpathSync(binary);
  const stat = statSync(path);
  return { path, size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino };
}

function cacheFile(cacheDir: string, identity: BinaryIdentity): string {
  return join(cacheDir, `${createHash('sha1').update(identity.path).digest('hex').slice(0, 20)}.bin`);
}

/** The cached schema of this binary, or undefined when there is none for this identity (or it is unreadable). */
export function loadSchema(cacheDir: string, identity: BinaryIdentity): UpstreamSchema | undefined {
  let file: Buffer;
  try {
    file = readFileSync(cacheFile(cacheDir, identity));
  } catch {
    return undefined;
  }
  if (file.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) return undefined;
  const headerEnd = file.indexOf(0x0a, MAGIC.length);
  if (headerEnd < 0) return undefined;
  try {
    const header = JSON.parse(file.subarray(MAGIC.length, headerEnd).toString('utf8')) as Header;
    const same = header.identity;
    if (same.path !== identity.path || same.size !== identity.size || same.mtimeMs !== identity.mtimeMs || same.ino !== identity.ino) return undefined;
    return new UpstreamSchema(header, file.subarray(headerEnd + 1));
  } catch {
    return undefined;
  }
}

/**
 * Turn the child's GetSchema answer (decoded without defaults, tfplugin5 and tfplugin6 share its field names)
 * into an UpstreamSchema, and store it. A failure to write only costs the cache.
 */
export function storeSchema(cacheDir: string, identity: BinaryIdentity, answer: tf.GetProviderSchemaResponse): UpstreamSchema {
  const parts: Buffer[] = [];
  let size = 0;
  const add = (message: object): [number, number] => {
    const bytes = pluginDescriptors.encode(RESPONSE, message);
    parts.push(bytes);
    size += bytes.length;
    return [size - bytes.length, bytes.length];
  };
  const header: Header = {
    identity,
    server_capabilities: answer.server_capabilities ?? {},
    provider: add({ provider: answer.provider ?? {} }),
    entries: { resource_schemas: {}, data_source_schemas: {}, ephemeral_resource_schemas: {}, functions: {} },
  };
  for (const kind of SCHEMA_KINDS) {
    for (const [name, value] of Object.entries(answer[kind] ?? {})) header.entries[kind][name] = add({ [kind]: { [name]: value } });
  }
  const body = Buffer.concat(parts, size);
  const file = cacheFile(cacheDir, identity);
  try {
    mkdirSync(cacheDir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.concat([Buffer.from(MAGIC + JSON.stringify(header) + '\n'), body]));
    renameSync(temporary, file);
  } catch {
    // read-only or full disk: the next launch asks the child again
  }
  return new UpstreamSchema(header, body);
}
