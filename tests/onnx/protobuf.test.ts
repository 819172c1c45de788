import { describe, expect, it } from 'vitest'
import protobuf from 'protobufjs'
import { decodeModel, encodeModel } from '../../sdk/onnx/model-proto.js'
import { readFields, ProtoWriter } from '../../sdk/onnx/protobuf.js'
import { tinyModelBytes } from '../helpers/models.js'

// The subset of onnx.proto we write, for an independent codec (protobufjs). Fields in ascending number order.
const SCHEMA = `
syntax = "proto2";
package onnx;
message AttributeProto { optional string name = 1; optional float f = 2; optional int64 i = 3; optional bytes s = 4;
  optional TensorProto t = 5; repeated float floats = 7 [packed=true]; repeated int64 ints = 8 [packed=true]; optional int32 type = 20; }
message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; }
message NodeProto { repeated string input = 1; repeated string output = 2; optional string name = 3; optional string op_type = 4;
  repeated AttributeProto attribute = 5; optional string domain = 7; }
message StringStringEntryProto { optional string key = 1; optional string value = 2; }
message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
message ModelProto { optional int64 ir_version = 1; optional string producer_name = 2; optional string producer_version = 3;
  optional string doc_string = 6; optional GraphProto graph = 7; repeated OperatorSetIdProto opset_import = 8; repeated StringStringEntryProto metadata_props = 14; }
message GraphProto { repeated NodeProto node = 1; optional string name = 2; repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12; repeated ValueInfoProto value_info = 13; }
message TensorProto { repeated int64 dims = 1 [packed=true]; optional int32 data_type = 2; optional string name = 8; optional bytes raw_data = 9; }
message TensorShapeProto { message Dimension { optional int64 dim_value = 1; optional string dim_param = 2; } repeated Dimension dim = 1; }
message TypeProto { message Tensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; } optional Tensor tensor_type = 1; }
`
const Model = protobuf.parse(SCHEMA).root.lookupType('onnx.ModelProto')

describe('ONNX protobuf codec', () => {
  const bytes = tinyModelBytes()

  it('write → read → write is byte-identical', () => {
    const again = encodeModel(decodeModel(bytes))
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true)
  })

  it('is byte-identical to protobufjs re-encoding the same message', () => {
    const viaProtobufjs = Model.encode(Model.decode(bytes)).finish()
    expect(viaProtobufjs.length).toBe(bytes.length)
    expect(Buffer.from(viaProtobufjs).equals(Buffer.from(bytes))).toBe(true)
  })

  it('reads what protobufjs writes', () => {
    const msg = Model.decode(bytes) as unknown as { graph: { node: { opType: string }[] }; metadataProps: { key: string }[] }
    const ours = decodeModel(bytes)
    expect(ours.graph.nodes.map((n) => n.opType)).toEqual(msg.graph.node.map((n) => n.opType))
    expect(Object.keys(ours.metadata)).toEqual(msg.metadataProps.map((m) => m.key))
  })

  it('encodes negative int64 as 10-byte two’s complement and decodes it back', () => {
    const w = new ProtoWriter().varint(3, -1)
    const b = w.finish()
    expect(b.length).toBe(11)
    const [f] = readFields(b)
    expect(f!.wire === 0 && BigInt.asIntN(64, f!.value)).toBe(-1n)
  })

  it('rejects truncated input', () => {
    expect(() => decodeModel(bytes.subarray(0, bytes.length - 7))).toThrow()
    expect(() => readFields(Uint8Array.of(0x0a, 0x05, 0x01))).toThrow(/truncated/)
  })
})
