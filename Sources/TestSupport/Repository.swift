import Foundation

/// The repository root, found from this file's path (tests run from a checkout).
public let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url
}()

/// The repository's operator specs folder.
public let repositorySpecs: String = repositoryRoot.appendingPathComponent("Specs").path
