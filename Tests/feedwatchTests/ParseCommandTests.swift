import Foundation
import TestSupport
import Testing

/// `feedwatch parse` with many SOURCE operands, run as the real executable: `Feedwatch.main()` reads a command line
/// in the plain spelling (long flags, `--jobs N`, sources, `--`) without swift-argument-parser and leaves any other
/// to it, which must change nothing that the command accepts, prints or rejects.
///
/// Serialized: each test runs the executable several times from a synchronous test, which holds a thread of
/// the shared pool while it waits; several at once starved the other suites' async tests on a 2-core machine.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ParseCommandTests {
    /// The feeds copied into the test folder, one after the other: three formats, so a line out of place shows.
    static let fixtures = ["rss2-media.xml", "atom-media.xml", "rdf.xml"]
    static let copies = 120

    let folder: URL
    /// `copies` feed files, named in order, cycling through `fixtures`.
    let files: [String]
    /// The `--summary` line of each of `files` without its path, as the command prints it for that file alone.
    let expectedFields: [String]
    /// The `--summary` line of each of `files`.
    var expectedLines: [String] { zip(expectedFields, files).map { $0 + $1 } }

    init() throws {
        folder = try TestPaths.makeTemporaryFolder("parse-cli")
        let fixtureFolder = TestPaths.fixtures.appendingPathComponent("FeedParse")
        var linesByFixture: [String: String] = [:]
        for fixture in Self.fixtures {
            // One source alone is parsed the ordinary way: its line, without the path, is the reference.
            let path = fixtureFolder.appendingPathComponent(fixture).path
            let result = try Feedwatch.run(["parse", "--summary", path])
            try #require(result.status == 0, "\(fixture): \(result.standardError)")
            let line = result.standardOutput.dropLast()  // the newline
            try #require(line.hasSuffix("\t" + path))
            linesByFixture[fixture] = String(line.dropLast(path.utf8.count))
        }
        var files: [String] = []
        var fields: [String] = []
        for index in 0..<Self.copies {
            let fixture = Self.fixtures[index % Self.fixtures.count]
            let path = folder.appendingPathComponent(String(format: "feed-%03d-%@", index, fixture)).path
            try FileManager.default.copyItem(atPath: fixtureFolder.appendingPathComponent(fixture).path, toPath: path)
            files.append(path)
            fields.append(linesByFixture[fixture]!)
        }
        self.files = files
        expectedFields = fields
    }

    func summary(of result: CommandResult) -> [String] {
        result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test func optionsBeforeTheFiles() throws {
        let result = try Feedwatch.run(["parse", "--summary", "--jobs", "2"] + files)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.isEmpty)
        #expect(summary(of: result) == expectedLines)
    }

    @Test func optionsBetweenAndAfterTheFiles() throws {
        // The "1" after --jobs is its value: taken for a source, it would print an error line.
        let result = try Feedwatch.run(
            ["parse"] + files[..<40] + ["--jobs", "1"] + files[40..<80] + ["--summary"] + files[80...])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(summary(of: result) == expectedLines)

        let after = try Feedwatch.run(["parse"] + files + ["--summary", "--jobs=3"])
        #expect(after.status == 0, "\(after.standardError)")
        #expect(summary(of: after) == expectedLines)
    }

    @Test func everythingAfterTheTerminatorIsASource() throws {
        // Relative names starting with "-", and one named "--jobs", are sources only after "--".
        let fixture = TestPaths.fixtures.appendingPathComponent("FeedParse/rdf.xml").path
        for name in ["-first.xml", "--jobs", "-last.xml"] {
            try FileManager.default.copyItem(atPath: fixture, toPath: folder.appendingPathComponent(name).path)
        }
        let names = files.map { URL(fileURLWithPath: $0).lastPathComponent }
        let operands = ["-first.xml"] + names[..<60] + ["--jobs"] + names[60...] + ["-last.xml"]
        let quoted = operands.map { "'\($0)'" }.joined(separator: " ")
        let script = "cd '\(folder.path)' && exec '\(TestPaths.executable.path)' parse --jobs 2 --summary -- \(quoted)"
        let result = try Feedwatch.runShell(script)
        #expect(result.status == 0, "\(result.standardError)")
        let rdf = expectedFields[Self.fixtures.firstIndex(of: "rdf.xml")!]
        let relative = zip(expectedFields, names).map { $0 + $1 }
        let expected =
            [rdf + "-first.xml"] + relative[..<60] + [rdf + "--jobs"] + relative[60...] + [rdf + "-last.xml"]
        #expect(summary(of: result) == expected)
    }

    @Test func aMissingFileIsAnErrorLineInItsPlace() throws {
        let missing = folder.appendingPathComponent("missing.xml").path
        let result = try Feedwatch.run(["parse", "--summary"] + files[..<80] + [missing] + files[80...])
        #expect(result.status == 1)
        #expect(result.standardError == "feedwatch parse: \(missing): no such file, and not an http(s) URL\n")
        let expected = Array(expectedLines[..<80]) + ["error\t-\t0\t0\t\(missing)"] + expectedLines[80...]
        #expect(summary(of: result) == expected)
    }

    @Test func jsonLinesComeOutInOrder() throws {
        let result = try Feedwatch.run(["parse"] + files[..<60] + ["--compact"] + files[60...])
        #expect(result.status == 0, "\(result.standardError)")
        let sources = try summary(of: result).map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["source"] as? String ?? "?"
        }
        #expect(sources == files)
    }

    /// Command lines the library rejects are rejected with its own message, as before.
    @Test(arguments: [
        (["--jobs"], "Error: Missing value for '--jobs <jobs>'\n"),
        (["--jobs", "--", "x"], "Error: Missing value for '--jobs <jobs>'\n"),
        (["--jobs", "0"], "Error: --jobs must be at least 1.\n"),
        (["--jobs", "x"], "Error: The value 'x' is invalid for '--jobs <jobs>'\n"),
        (["--bogus"], "Error: Unknown option '--bogus'. Did you mean '--jobs'?\n"),
        (["--summary=1"], "Error: The option '--summary' does not take any value, but '1' was specified.\n"),
    ])
    func invalidCommandLinesFailAsBefore(options: [String], message: String) throws {
        // After the files, and between them (followed by a flag, as "--jobs" would take the next file).
        let arrangements = [
            ["parse"] + files + options, ["parse"] + files[..<10] + options + ["--summary"] + files[10...],
        ]
        for arguments in arrangements {
            let result = try Feedwatch.run(arguments)
            #expect(result.status == 64)
            #expect(result.standardOutput.isEmpty)
            #expect(result.standardError.hasPrefix(message), "\(result.standardError)")
            #expect(result.standardError.contains("Usage: feedwatch parse <sources> ..."))
        }
    }

    @Test func noSourceAfterTheTerminatorIsAnError() throws {
        let result = try Feedwatch.run(["parse", "--summary", "--"])
        #expect(result.status == 64)
        #expect(result.standardError.hasPrefix("Error: Missing expected argument '<sources> ...'\n"))
    }

    @Test func helpAmongTheFilesIsTheHelp() throws {
        let help = try Feedwatch.run(["parse", "--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("USAGE: feedwatch parse <sources> ..."))
        let among = try Feedwatch.run(["parse", "--summary"] + files[..<10] + ["--help"] + files[10...])
        #expect(among.status == 0)
        #expect(among.standardOutput == help.standardOutput)
    }

    /// `--jobs +2` is a value the library reads (2) but the plain reader leaves to it: the two ways of reading a
    /// command line print the same, for one source and for many.
    @Test func theLibraryReadsTheSameCommandLineAlike() throws {
        for sources in [[files[0]], Array(files[..<50])] {
            for options in [["--summary"], ["--compact"], []] {
                let plain = try Feedwatch.run(["parse"] + options + ["--jobs", "2"] + sources)
                let library = try Feedwatch.run(["parse"] + options + ["--jobs", "+2"] + sources)
                #expect(plain.status == 0, "\(plain.standardError)")
                #expect(plain.standardOutput == library.standardOutput)
                #expect(plain.standardError == library.standardError)
                #expect(plain.status == library.status)
            }
        }
    }

    @Test func aRepeatedOptionPrintsAsOnce() throws {
        // The library accepts a repeated flag, and the last value of a repeated option; the plain reader hands
        // such a command line to it (this checks only the result, not which reader gave it).
        let once = try Feedwatch.run(["parse", "--summary", "--jobs", "1"] + files[..<5])
        let twice = try Feedwatch.run(["parse", "--summary", "--jobs", "0", "--jobs", "1", "--summary"] + files[..<5])
        #expect(once.status == 0, "\(once.standardError)")
        #expect(twice.status == 0, "\(twice.standardError)")
        #expect(twice.standardOutput == once.standardOutput)
    }

    /// `Parse.reading(plainArguments:)` must know every option of `parse`: it sets each property by hand, and an
    /// option it leaves unset stops the program when read, on every plain command line. This lists them, with
    /// the long name of options that also have a short one (`-j, --jobs`). `--version` and `--help` are the
    /// library's own: a command line naming them goes to the library.
    @Test func theOptionsAreTheOnesThePlainReaderKnows() throws {
        let help = try Feedwatch.run(["parse", "--help"])
        let options = help.standardOutput.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            guard let first = words.first else { return nil }
            if first.hasPrefix("--") { return String(first) }
            if first.hasPrefix("-"), first.hasSuffix(","), words.count > 1, words[1].hasPrefix("--") {
                return String(words[1])
            }
            return nil
        }
        #expect(
            options == ["--summary", "--compact", "--jobs", "--allow-private-addresses", "--version", "--help"],
            "teach any new one to Parse.reading(plainArguments:), or every plain `parse` command line crashes")
    }
}
