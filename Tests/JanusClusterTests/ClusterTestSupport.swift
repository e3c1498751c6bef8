import Foundation
@testable import JanusCluster

/// Cluster files for tests, written as text so each test shows the exact TOML it feeds.
enum ClusterText {
    /// Valid: one node, router, 1 encoder, 2 stages (even split), 2 decoders.
    static let minimal = """
        split = "even"

        [[nodes]]
        name = "local"
        host = "127.0.0.1"

        [router]
        client_endpoint = "tcp://127.0.0.1:5555"
        backend_endpoint = "tcp://127.0.0.1:5556"

        [[encoders]]
        replicas = 1

        [[stages]]
        data_endpoint = "tcp://127.0.0.1:5560"

        [[stages]]
        data_endpoint = "tcp://127.0.0.1:5561"

        [[decoders]]
        replicas = 2

        """

    static func parse(_ text: String, path: String = "test.toml") throws -> ClusterSpec {
        try ClusterSpec.parse(text, path: path)
    }

    /// The rendered problems of an invalid file (empty when it is valid).
    static func problems(_ text: String, path: String = "test.toml") -> [String] {
        do {
            _ = try ClusterSpec.parse(text, path: path)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    /// `minimal` with one line replaced (the test fails loudly if the line is missing).
    static func minimal(replacing old: String, with new: String) -> String {
        precondition(minimal.contains(old), "ClusterText.minimal has no \(old)")
        return minimal.replacingOccurrences(of: old, with: new)
    }
}

/// The 1-based line of the `occurrence`-th line containing `needle`, so expected
/// messages state their line without hand counting.
func line(of needle: String, in text: String, occurrence: Int = 1) -> Int {
    let matches = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        .filter { $0.element.contains(needle) }
    precondition(matches.count >= occurrence, "no line \(occurrence) with \(needle)")
    return matches[occurrence - 1].offset + 1
}

enum Repository {
    /// The package root, found from this file's path so tests run from any directory.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }
}

/// A fresh directory under the system's temporary folder, removed by the caller.
func makeTemporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("janus-cluster-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}
