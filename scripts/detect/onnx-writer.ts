/**
 * Minimal ONNX writer: the subset of onnx.proto needed to serialize small dense graphs, encoded
 * with protobufjs reflection (there is no ONNX writer on npm). Field numbers follow onnx/onnx.proto.
 */
import protobuf from 'protobufjs';

const PROTO = `
syntax = "proto3";
package onnx;
message StringStringEntryProto { string key = 1; string value = 2; }
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
message TensorProto {
  repeated int64 dims = 1;
  int32 data_type = 2;
  repeated float float_data = 4;
  repeated int64 int64_data = 7;
  string name = 8;
  bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { int64 dim_value = 1; string dim_param = 2; }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
  Tensor tensor_type = 1;
}
message ValueInfoProto { string name = 1; TypeProto type = 2; string doc_string = 3; }
message AttributeProto {
  string name = 1;
  float f = 2;
  int64 i = 3;
  bytes s = 4;
  repeated float floats = 7;
  repeated int64 ints = 8;
  int32 type = 20;
}
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  string name = 3;
  string op_type = 4;
  repeated AttributeProto attribute = 5;
  string domain = 7;
}
message GraphProto {
  repeated NodeProto node = 1;
  string name = 2;
  repeated TensorProto initializer = 5;
  string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message ModelProto {
  int64 ir_version = 1;
  string producer_name = 2;
  string producer_version = 3;
  int64 model_version = 5;
  string doc_string = 6;
  GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
  repeated StringStringEntryProto metadata_props = 14;
}
`;

const root = protobuf.parse(PROTO).root;
const ModelProto = root.lookupType('onnx.ModelProto');

export const FLOAT = 1;
export const INT64 = 7;

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, number | number[]>;
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  /** float32 weights, or int64 (e.g. Slice bounds). */
  data: Float32Array | BigInt64Array;
}

export interface OnnxValue {
  name: string;
  /** Use a string (e.g. 'N') for a symbolic dimension. */
  shape: (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  docString?: string;
  metadata?: Record<string, string>;
  opset?: number;
}

function valueInfo(v: OnnxValue): Record<string, unknown> {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: v.shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

function attribute(name: string, v: number | number[]): Record<string, unknown> {
  if (Array.isArray(v)) return { name, ints: v, type: 7 };
  return Number.isInteger(v) ? { name, i: v, type: 2 } : { name, f: v, type: 1 };
}

/** Serialize a graph to ONNX bytes (IR version 8, default opset 13). */
export function encodeOnnx(g: OnnxGraph): Uint8Array {
  const model = {
    irVersion: 8,
    producerName: 'palimpsest-train-detect',
    producerVersion: '1',
    modelVersion: 1,
    docString: g.docString ?? '',
    opsetImport: [{ domain: '', version: g.opset ?? 13 }],
    metadataProps: Object.entries(g.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: g.name,
      node: g.nodes.map((n, i) => ({
        name: `${n.op}_${i}`,
        opType: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
      })),
      initializer: g.initializers.map((t) => ({
        name: t.name,
        dims: t.dims,
        dataType: t.data instanceof BigInt64Array ? INT64 : FLOAT,
        // ONNX raw_data is little-endian; so is every platform Node ships on.
        rawData: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
      })),
      input: g.inputs.map(valueInfo),
      output: g.outputs.map(valueInfo),
    },
  };
  const err = ModelProto.verify(model);
  if (err) throw new Error(`invalid ONNX model: ${err}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}
