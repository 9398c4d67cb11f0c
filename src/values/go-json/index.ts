// Go's encoding/json, read and written byte for byte as hashicorp/aws (a Go program) does: json.Unmarshal into
// `any` with Go's error texts and byte offsets (reader.ts), json.Marshal and json.Indent (writer.ts). The engine
// validates JSON arguments with it, the AWS layer renders and compares policy documents with it.
export {
  GoJsonDecodeError,
  GoJsonSyntaxError,
  GoObject,
  goJsonKind,
  goJsonParse,
  goJsonParseMembers,
  goJsonSyntaxError,
  goJsonUnmarshalError,
  goStructField,
  goTypeName,
  type GoJson,
} from './reader';
export { compareGoStrings, goJsonIndent, goJsonMarshal, goJsonQuote } from './writer';
