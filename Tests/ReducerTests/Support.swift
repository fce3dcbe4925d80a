import Foundation
import SpecLib
import TestSupport

let specLibrary: SpecLibrary = {
    let path = URL(fileURLWithPath: repositorySpecs).resolvingSymlinksInPath().path
    do { return try SpecLibrary.load(directory: path) } catch { fatalError("cannot load specs: \(error)") }
}()
