import CJanusWire
import Foundation
import JanusTensor

/// A Swift value with a protobuf-c struct counterpart. Each conformance is a small,
/// symmetric field-by-field mapping; the helpers below handle strings, enums, repeated
/// fields and nested messages the same way everywhere.
protocol ProtobufMessage {
    associatedtype CMessage
    /// Calls the generated `…__init` (sets the descriptor and proto3 defaults).
    static func initialize(_ message: UnsafeMutablePointer<CMessage>)
    /// Writes this value into `message`; every pointer stored comes from `arena`.
    func write(to message: inout CMessage, arena: CArena) throws(WireError)
    /// Reads a received struct, checking what protobuf-c does not (UTF-8, enum values).
    /// `path` names the struct in error messages, e.g. "step.new_sequences[2]".
    init(reading message: CMessage, path: String) throws(WireError)
}

// MARK: Reading received structs

/// A string field, which protobuf-c hands over unchecked: it must be valid UTF-8.
func readString(_ pointer: UnsafePointer<CChar>?, _ path: String) throws(WireError) -> String {
    guard let pointer else { return "" }
    let bytes = UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)).bindMemory(to: UInt8.self)
    guard let text = String(validating: bytes, as: UTF8.self) else {
        throw .malformed("\(path) is not valid UTF-8")
    }
    return text
}

/// An enum field: proto3 enums are open, so the number may be one this version does not
/// know.
func readEnum<Value: RawRepresentable<UInt32>>(_ number: UInt32, _ path: String) throws(WireError) -> Value {
    guard let value = Value(rawValue: number) else {
        throw .malformed("\(path) has unknown \(Value.self) value \(number)")
    }
    return value
}

func readScalars<Element>(_ count: Int, _ pointer: UnsafePointer<Element>?) -> [Element] {
    guard count > 0, let pointer else { return [] }
    return Array(UnsafeBufferPointer(start: pointer, count: count))
}

func readBool(_ value: protobuf_c_boolean) -> Bool { value != 0 }

/// A message field, nil when absent. Fields that are not optional in Swift read an
/// absent message as its proto3 default (`?? Sampling()`), as every protobuf
/// implementation does; whether that default is acceptable is the service's call.
func readOptional<Value: ProtobufMessage>(
    _ pointer: UnsafePointer<Value.CMessage>?, _ path: String
) throws(WireError) -> Value? {
    guard let pointer else { return nil }
    return try Value(reading: pointer.pointee, path: path)
}

/// A repeated message field; elements are named "path[i]" in errors.
func readMessages<Value: ProtobufMessage>(
    _ count: Int, _ pointers: UnsafePointer<UnsafeMutablePointer<Value.CMessage>?>?, _ path: String
) throws(WireError) -> [Value] {
    guard count > 0, let pointers else { return [] }
    var values: [Value] = []
    values.reserveCapacity(count)
    for index in 0..<count {
        guard let element = pointers[index] else { throw .malformed("\(path)[\(index)] is missing") }
        values.append(try Value(reading: element.pointee, path: "\(path)[\(index)]"))
    }
    return values
}

// MARK: Writing

func writeBool(_ value: Bool) -> protobuf_c_boolean { value ? 1 : 0 }

// MARK: DType on the wire

extension DType {
    /// The `janus.wire.v1.DType` number.
    var wireNumber: UInt32 {
        switch self {
        case .f32: 1
        case .f16: 2
        case .bf16: 3
        case .i64: 4
        case .i32: 5
        case .i8: 6
        case .u8: 7
        }
    }

    /// nil for DTYPE_UNSPECIFIED and numbers this version does not know.
    init?(wireNumber: UInt32) {
        guard let match = DType.allCases.first(where: { $0.wireNumber == wireNumber }) else { return nil }
        self = match
    }
}
