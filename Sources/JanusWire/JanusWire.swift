/// JanusWire: the protocol between the processes.
///
/// Owns the Swift view of `proto/janus.proto` (encoded with the committed protobuf-c
/// output in CJanusWire), the framing of one protocol message as a ZeroMQ multipart
/// message (header frame + raw tensor frames), validation of everything received, and
/// a small ZeroMQ socket wrapper. It knows nothing about models or scheduling.
public enum JanusWireModule {}
