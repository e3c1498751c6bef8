import ArgumentParser
import JanusCluster

/// `--router ENDPOINT` or `--cluster FILE` (whose router client endpoint is used).
struct RouterAddress: ParsableArguments {
    @Option(help: "The router's client endpoint, e.g. tcp://10.0.0.5:57100.")
    var router: String?

    @Option(help: "A cluster file; its router's client endpoint is used.")
    var cluster: String?

    func validate() throws {
        guard (router == nil) != (cluster == nil) else {
            throw ValidationError("Give exactly one of --router ENDPOINT or --cluster FILE.")
        }
    }

    func endpoint() throws -> String {
        if let router { return router }
        return try ClusterSpec.load(path: cluster!).router.clientEndpoint.description
    }
}
