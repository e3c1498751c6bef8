import Testing
@testable import JanusCluster

@Suite struct SourceLocatorTests {
    private let text = """
        name = "x"   # a comment with = in it
        [[nodes]]
        name = "a"
        [[nodes]]
        name = "b"
        description = '''
        [not a header]
        key = "not a key"
        '''
        [router]
        node = "a"
        [router.extra]
        deep = 1
        [[stages]]
        layers = [
          0,
          12,
        ]
        "quoted.key" = 2
        [[stages]]
        inline = { a = 1, b = [2, 3] }
        tail = true
        """

    @Test func findsKeysTablesAndArrayElements() {
        let locator = SourceLocator(text: text)
        func line(_ components: [ConfigKeyPath.Component]) -> Int? { locator.line(of: ConfigKeyPath(components)) }
        #expect(line([.key("name")]) == 1)
        #expect(line([.key("nodes"), .index(0)]) == 2)
        #expect(line([.key("nodes"), .index(1), .key("name")]) == 5)
        #expect(line([.key("router")]) == 10)
        #expect(line([.key("router"), .key("node")]) == 11)
        #expect(line([.key("router"), .key("extra"), .key("deep")]) == 13)
        #expect(line([.key("stages"), .index(0), .key("layers")]) == 15)
        #expect(line([.key("stages"), .index(0), .key("quoted.key")]) == 19)
        #expect(line([.key("stages"), .index(1), .key("tail")]) == 22)
    }

    @Test func multiLineValuesAreNotMistakenForKeys() {
        let locator = SourceLocator(text: text)
        #expect(locator.line(of: ConfigKeyPath([.key("nodes"), .index(1), .key("key")])) == 4,
                "falls back to the table, not the line inside the string")
        #expect(locator.line(of: ConfigKeyPath([.key("not a header")])) == nil)
    }

    @Test func unknownPathsFallBackToTheirTable() {
        let locator = SourceLocator(text: text)
        #expect(locator.line(of: ConfigKeyPath([.key("stages"), .index(1), .key("inline"), .key("a")])) == 21)
        #expect(locator.line(of: ConfigKeyPath([.key("stages"), .index(0), .key("layers"), .index(1)])) == 15)
        #expect(locator.line(of: ConfigKeyPath([.key("missing")])) == nil)
    }
}
