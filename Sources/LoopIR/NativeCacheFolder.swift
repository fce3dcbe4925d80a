import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where compiled shared objects are cached, and whether that folder can be trusted.
///
/// The folder is `$GRAPHSMITH_CACHE` when set, else `$XDG_CACHE_HOME/graphsmith/native`, else
/// `~/.cache/graphsmith/native`. Missing folders are created with mode 0700. A cached library is loaded into
/// graphsmith's own process, so anyone who can write to the folder can run code as the user: a folder that is a
/// symbolic link, is owned by another user, or is writable by group or others is not used.
public enum NativeCacheFolder {
    /// The folder `environment` names (not yet created or checked); nil when there is no home folder to put it in.
    public static func configured(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let dir = environment["GRAPHSMITH_CACHE"], !dir.isEmpty { return absolute(dir) }
        // The XDG base directory specification says a relative XDG_CACHE_HOME is invalid and to be ignored.
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/graphsmith/native" }
        guard let home = environment["HOME"].flatMap({ $0.isEmpty ? nil : $0 }) ?? passwordHome() else { return nil }
        return home + "/.cache/graphsmith/native"
    }

    /// Creates `folder` (and any missing parent) with mode 0700 and says why it must not be used, or nil when it
    /// is a real folder owned by this user that no one else can write to.
    public static func problem(with folder: String) -> String? {
        if let failure = makeFolders(folder) { return failure }
        var st = stat()
        guard lstat(folder, &st) == 0 else { return "cannot read it (\(String(cString: strerror(errno))))" }
        if st.st_mode & S_IFMT == S_IFLNK { return "it is a symbolic link" }
        if st.st_mode & S_IFMT != S_IFDIR { return "it is not a folder" }
        if st.st_uid != geteuid() { return "it is owned by user \(st.st_uid), not by you (user \(geteuid()))" }
        if st.st_mode & 0o022 != 0 {
            return "it is writable by group or others (mode \(String(st.st_mode & 0o7777, radix: 8)))"
        }
        return nil
    }

    /// `mkdir -p` with mode 0700 for each folder it makes; the reason when one cannot be made.
    private static func makeFolders(_ folder: String) -> String? {
        var path = folder.hasPrefix("/") ? "" : "."
        for part in folder.split(separator: "/") {
            path += "/" + part
            if mkdir(path, 0o700) != 0 && errno != EEXIST {
                return "cannot create \(path) (\(String(cString: strerror(errno))))"
            }
        }
        return nil
    }

    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    private static func passwordHome() -> String? {
        guard let entry = getpwuid(geteuid()), let dir = entry.pointee.pw_dir else { return nil }
        let home = String(cString: dir)
        return home.isEmpty ? nil : home
    }
}
