import CLibXML2

/// Process-wide libxml2 preparation shared by the feed reader and the HTML converter.
enum LibXML2 {
    /// Runs once per process: initialises libxml2 and installs the deny-all external entity loader,
    /// so no parse can ever read a file or a URL named by a DTD or an entity.
    private static let processSetUp: Void = {
        xmlInitParser()
        clibxml2_install_deny_loader()
    }()

    /// Call before every parse, on the thread that parses.
    ///
    /// libxml2 keeps its generic error handler per thread, so it is silenced on each calling thread;
    /// errors are collected through structured handlers instead of being printed to stderr.
    static func prepareThread() {
        _ = processSetUp
        clibxml2_silence_generic_errors()
    }
}
