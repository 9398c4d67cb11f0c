// gRPC service definitions and message codecs built straight from precompiled protobuf descriptors.
//
// This does what @grpc/proto-loader's fromJSON does (same encode/decode calls, same PROTO_LOADER_OPTIONS, so
// messages have the exact shapes described in tfplugin6.ts) but skips what only reflection clients need:
// proto-loader also re-serialises every file descriptor up front, which cost ~3x the time of loading grpc-js
// itself at every provider start. The definitions serve a grpc-js server and a grpc-js client alike.
import * as protobuf from 'protobufjs/light';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import descriptors from './descriptors.generated.json';
import { PROTO_LOADER_OPTIONS } from './tfplugin6';

/** The services and messages of one set of precompiled descriptors (see scripts/build.mjs). */
export class Descriptors {
  private root: protobuf.Root | undefined;
  private readonly services = new Map<string, ServiceDefinition>();

  constructor(private readonly json: unknown) {}

  private lookupType(fullName: string): protobuf.Type {
    this.root ??= protobuf.Root.fromJSON(this.json as protobuf.INamespace);
    return this.root.lookupType(fullName);
  }

  /** The grpc-js definition of a service, by full name ("tfplugin6.Provider", "plugin.GRPCController", ...). */
  service(fullName: string): ServiceDefinition {
    // Built once: a warm server (src/warm/) starts a gRPC server per launch.
    let definition = this.services.get(fullName);
    if (!definition) this.services.set(fullName, (definition = this.buildService(fullName)));
    return definition;
  }

  private buildService(fullName: string): ServiceDefinition {
    this.root ??= protobuf.Root.fromJSON(this.json as protobuf.INamespace);
    const service = this.root.lookupService(fullName);
    const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
    for (const method of service.methodsArray) {
      method.resolve();
      const request = method.resolvedRequestType!;
      const response = method.resolvedResponseType!;
      definition[method.name] = {
        path: `/${fullName}/${method.name}`,
        requestStream: !!method.requestStream,
        responseStream: !!method.responseStream,
        requestSerialize: serializer(request),
        requestDeserialize: deserializer(request),
        responseSerialize: serializer(response),
        responseDeserialize: deserializer(response),
        originalName: method.name,
      };
    }
    return definition;
  }

  /** Encode a message given in the shapes of tfplugin6.ts (field names as in the .proto file). */
  encode(messageName: string, value: object): Buffer {
    return serializer(this.lookupType(messageName))(value);
  }

  /** Decode a message into those shapes; `options` replace PROTO_LOADER_OPTIONS (e.g. `defaults: false`). */
  decode(messageName: string, bytes: Buffer, options?: protobuf.IConversionOptions): unknown {
    return deserializer(this.lookupType(messageName), options)(bytes);
  }
}

function serializer(type: protobuf.Type): (value: unknown) => Buffer {
  return (value) => {
    if (Array.isArray(value)) throw new TypeError(`${type.fullName}: an array is not a message`);
    const bytes = type.encode(type.fromObject(value as Record<string, unknown>)).finish();
    return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

function deserializer(type: protobuf.Type, options: protobuf.IConversionOptions = PROTO_LOADER_OPTIONS): (bytes: Buffer) => unknown {
  return (bytes) => type.toObject(type.decode(bytes), options);
}

/** tfplugin6, go-plugin's services and grpc.health.v1: everything this provider serves. */
export const pluginDescriptors = new Descriptors(descriptors);

/** The grpc-js definition of one of the services this provider serves. */
export function serviceDefinition(fullName: string): ServiceDefinition {
  return pluginDescriptors.service(fullName);
}
