/// JanusWire: the protocol between the processes.
///
/// Owns the Swift view of `proto/janus.proto` (encoded with the committed protobuf-c
/// output in CJanusWire), the framing of one protocol message as a ZeroMQ multipart
/// message (header frame + raw tensor frames), validation of everything received, and
/// a small ZeroMQ socket wrapper. It knows nothing about models or scheduling: checks
/// that need to know what a body *means* (e.g. that a step's slots cover the `hidden`
/// rows) belong to the services, which can use `WireMessage.tensor(named:dtype:rank:)`.
///
/// Layout:
/// - `Protocol/`: Swift value types mirroring the .proto (`WireHeader`, `WireBody`, …).
/// - `Protobuf/`: the bridge to and from the protobuf-c structs.
/// - `Framing/`: `WireMessage` ⇄ frames, `WireLimits`, validation, `WireError`.
/// - `ZeroMQ/`: `ZMQContext`, `ZMQSocket`, `Endpoint`, sending and receiving messages.
public enum JanusWireModule {}
