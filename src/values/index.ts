// The value layer's public surface: the value model, cty types, codecs, equality and paths.
export * from './value';
export {
  parseType,
  parseTypeJson,
  typeEquals,
  elementType,
  objectAttributeTypes,
  typeToString,
  typeToJson,
} from './types';
export { encodeMsgpack, decodeMsgpack } from './msgpack';
export { encodeJson, decodeJson } from './json';
export { valuesEqual, isWhollyKnown, containsUnknown } from './equality';
export { formatPath, getAtPath, ValuePathError, type Path } from './path';
export { isExactDouble, numberFromDouble } from './numbers';
