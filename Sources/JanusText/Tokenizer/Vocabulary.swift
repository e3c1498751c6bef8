import Foundation

/// A String that compares and hashes by its exact UTF-8 bytes.
///
/// Swift's `String` equality is Unicode canonical equivalence ("é" == "e\u{301}"), but
/// tokens are byte strings: two canonically equivalent spellings are different tokens.
struct ExactString: Hashable, Sendable {
    let value: String

    init(_ value: String) { self.value = value }

    static func == (lhs: ExactString, rhs: ExactString) -> Bool {
        lhs.value.utf8.count == rhs.value.utf8.count && lhs.value.utf8.elementsEqual(rhs.value.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var copy = value
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// Token ↔ id tables.
struct Vocabulary: Sendable {
    private let idsByToken: [ExactString: Int]
    private let tokensByID: [Int: String]

    init(_ tokens: some Sequence<(String, Int)>) {
        var idsByToken: [ExactString: Int] = [:]
        var tokensByID: [Int: String] = [:]
        for (token, id) in tokens {
            idsByToken[ExactString(token)] = id
            tokensByID[id] = token
        }
        self.idsByToken = idsByToken
        self.tokensByID = tokensByID
    }

    func id(for token: String) -> Int? { idsByToken[ExactString(token)] }
    func token(for id: Int) -> String? { tokensByID[id] }
    var count: Int { idsByToken.count }
    var tokens: some Collection<ExactString> { idsByToken.keys }
}
