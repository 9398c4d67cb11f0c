// gRPC service definitions built straight from the precompiled protobuf descriptors.
//
// This does what @grpc/proto-loader's fromJSON does for a server (same encode/decode calls, same
// PROTO_LOADER_OPTIONS, so messages have the exact shapes described in tfplugin6.ts) but skips what
// only reflection clients need: proto-loader also re-serialises every file descriptor up front,
// which cost ~3x the time of loading grpc-js itself at every provider start.
import * as protobuf from 'protobufjs/light';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import descriptors from './descriptors.generated.json';
import { PROTO_LOADER_OPTIONS } from './tfplugin6';

let root: protobuf.Root | undefined;

function descriptorRoot(): protobuf.Root {
  root ??= protobuf.Root.fromJSON(descriptors as unknown as protobuf.INamespace);
  return root;
}

function serializer(type: protobuf.Type): (value: unknown) => Buffer {
  return (value) => {
    if (Array.isArray(value)) throw new TypeError(`${type.fullName}: an array is not a message`);
    const bytes = type.encode(type.fromObject(value as Record<string, unknown>)).finish();
    return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

function deserializer(type: protobuf.Type): (bytes: Buffer) => unknown {
  return (bytes) => type.toObject(type.decode(bytes), PROTO_LOADER_OPTIONS);
}

/** The grpc-js definition of a service, by full name ("tfplugin6.Provider", "plugin.GRPCController", ...). */
export function serviceDefinition(fullName: string): ServiceDefinition {
  const service = descriptorRoot().lookupService(fullName);
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
