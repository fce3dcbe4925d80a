// Entry point: parse the command line, run the command, and turn every outcome into an exit code.
import Foundation

CrashHandler.install()
exit(CommandRunner.run(Array(CommandLine.arguments.dropFirst())))
