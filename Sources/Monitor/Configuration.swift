public import Analysis
import Foundation
public import Store
import Synchronization
import Yams

/// How often and how hard feeds are polled.
public struct PollSettings: Sendable, Equatable {
    /// Seconds between polls of a feed, unless the feed says otherwise.
    public var interval: Double
    /// Feeds fetching, parsing and analysing at once (an eighth as many more may hold batches waiting for
    /// the store).
    public var concurrency: Int
    /// Seconds a whole fetch may take.
    public var timeout: Double
    /// Scheduling, politeness and fetch limits.
    public var scheduling = SchedulingSettings()

    /// Creates poll settings.
    public init(interval: Double = 900, concurrency: Int = 32, timeout: Double = 30) {
        self.interval = interval
        self.concurrency = concurrency
        self.timeout = timeout
    }
}

/// One feed of the config's `feeds` list.
public struct FeedConfig: Sendable, Equatable {
    /// The feed's URL: http(s), or file:// when ``allowFile`` is set.
    public var url: String
    /// A short name for logs and alerts; the URL's host when not given.
    public var name: String
    /// Seconds between polls of this feed; the poll interval when nil.
    public var interval: Double?
    /// Lets this feed read a local file (`file://`). Off by default.
    public var allowFile: Bool
    /// Lets this feed reach loopback and private addresses; the top-level setting when nil.
    public var allowPrivateAddresses: Bool?
}

/// The daemon's settings, from `feedwatch.yaml`, with every path resolved.
public struct FeedwatchConfig: Sendable {
    /// The config file.
    public var file: String
    /// The SQLite database.
    public var databasePath: String
    /// The JSON-lines alert log.
    public var alertLogPath: String
    /// The topics file.
    public var topicsPath: String
    /// The entities file.
    public var entitiesPath: String
    /// Where to write Prometheus metrics after every cycle (a node_exporter textfile), if anywhere.
    public var metricsPath: String?
    /// Poll settings.
    public var poll: PollSettings
    /// Lets every feed reach loopback and private addresses (tests and local setups).
    public var allowPrivateAddresses: Bool
    /// The feeds to watch.
    public var feeds: [FeedConfig]
    /// Story clustering, re-alerts and bursts (`alerting:`).
    public var alerting: AlertPolicy = AlertPolicy()
    /// Items, analyses and alerts older than this are pruned once a day (`retention:`); nil keeps everything.
    public var retention: TimeInterval?
}

/// Everything the daemon needs from `Config/`: settings, and the analyzer compiled from topics and entities.
public struct LoadedConfiguration: Sendable {
    /// The settings.
    public var config: FeedwatchConfig
    /// The analyzer, compiled once from the topics and entities files.
    public var analyzer: Analyzer
}

/// Bounds on `retention`.
public enum RetentionLimits {
    /// The shortest retention: stories stay open 72 hours and bursts look back a day, and both read what
    /// retention would remove.
    public static let minimum: TimeInterval = 7 * 86400
}

/// Loads and validates the config, topics and entities files.
public enum ConfigurationLoader {
    /// Loads `path` and the topics and entities files it names, and compiles the analyzer.
    ///
    /// `STATE_DIRECTORY` and `LOGS_DIRECTORY` in `environment` (set by systemd) place the database and the log.
    /// - Throws: ``ConfigErrors`` with one `file:line: message` per problem found.
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigErrors) -> LoadedConfiguration {
        let config: FeedwatchConfig
        do {
            config = try loadSettings(path: path, environment: environment)
        } catch {
            throw ConfigErrors([error])
        }
        let (topics, entities) = try decodeRuleFiles(topicsPath: config.topicsPath, entitiesPath: config.entitiesPath)
        let unknown = config.alerting.bursts.topics.keys.filter { id in !topics.topics.contains { $0.id == id } }
        if let id = unknown.sorted().first {
            throw ConfigErrors([
                ConfigError(
                    file: path, line: lineOfBurstTopic(id, in: path),
                    message: "alerting.bursts.topics: '\(id)' is not a topic in \(config.topicsPath)")
            ])
        }
        do {
            let analyzer = try Analyzer(topics: topics.topics, entities: entities.entities)
            return LoadedConfiguration(config: config, analyzer: analyzer)
        } catch {
            let file = error.topic.map { id in
                topics.topics.contains { $0.id == id } ? config.topicsPath : config.entitiesPath
            } ?? config.topicsPath
            let line = error.topic.flatMap { lineOfDefinition(id: $0, in: file) }
            throw ConfigErrors([ConfigError(file: file, line: line, message: error.message)])
        }
    }

    /// Loads only the topics and entities files (for `feedwatch analyze` without a config).
    public static func loadAnalyzer(topicsPath: String, entitiesPath: String) throws(ConfigErrors) -> Analyzer {
        let (topics, entities) = try decodeRuleFiles(topicsPath: topicsPath, entitiesPath: entitiesPath)
        do {
            return try Analyzer(topics: topics.topics, entities: entities.entities)
        } catch {
            let line = error.topic.flatMap { lineOfDefinition(id: $0, in: topicsPath) }
            throw ConfigErrors([ConfigError(file: topicsPath, line: line, message: error.message)])
        }
    }

    /// Loads and resolves `feedwatch.yaml` alone.
    static func loadSettings(path: String, environment: [String: String]) throws(ConfigError) -> FeedwatchConfig {
        let root = try YAMLFile.compose(at: path, shownAs: path)
        let raw = try YAMLFile.read(root, file: path) { try YAMLDecoder().decode(RawConfig.self, from: $0) }
        let rawFeeds = try YAMLFile.read(root, file: path) { try RawFeed.list(in: $0) }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ value: String) -> String {
            value.hasPrefix("/") ? value : folder.appendingPathComponent(value).standardizedFileURL.path
        }
        func place(_ value: String, in directoryVariable: String) -> String {
            // An absolute path is the operator's choice; a relative one goes to systemd's directory when set
            // (it may list several, separated by ':'; the first is ours).
            if !value.hasPrefix("/"), let directory = environment[directoryVariable]?.split(separator: ":").first, !directory.isEmpty {
                return URL(fileURLWithPath: String(directory))
                    .appendingPathComponent(URL(fileURLWithPath: value).lastPathComponent).path
            }
            return resolve(value)
        }
        var feeds: [FeedConfig] = []
        for feed in rawFeeds {
            let url = URL(string: feed.url)
            let allowFile = feed.allowFile ?? false
            var feedURL = feed.url
            if url?.scheme?.lowercased() == "file", let relative = feed.url.split(separator: ":", maxSplits: 1).last,
                !relative.hasPrefix("//")
            {
                // file:demo/x.xml is relative to the config folder.
                feedURL = URL(fileURLWithPath: resolve(String(relative))).absoluteString
            }
            feeds.append(
                FeedConfig(
                    url: feedURL,
                    name: feed.name ?? url?.host ?? url?.lastPathComponent ?? feed.url,
                    interval: feed.interval?.seconds,
                    allowFile: allowFile,
                    allowPrivateAddresses: feed.allowPrivateAddresses
                ))
        }
        var poll = PollSettings(
            interval: raw.poll?.interval?.seconds ?? 900,
            concurrency: raw.poll?.concurrency ?? 32,
            timeout: raw.poll?.timeout?.seconds ?? 30
        )
        if let p = raw.poll {
            var s = SchedulingSettings()
            if let v = p.minInterval?.seconds { s.minimumInterval = v }
            if let v = p.maxInterval?.seconds { s.maximumInterval = v }
            if let v = p.maxBackoff?.seconds { s.maximumBackoff = v }
            if let v = p.goneInterval?.seconds { s.goneInterval = v }
            if let v = p.hostGap { s.hostGap = v }
            if let v = p.connectionsPerHost { s.connectionsPerHost = v }
            if let v = p.connectTimeout?.seconds { s.connectTimeout = v }
            if let v = p.lowSpeedLimit { s.lowSpeedBytesPerSecond = v }
            if let v = p.lowSpeedTime?.seconds { s.lowSpeedSeconds = Int(v) }
            if let v = p.maxBody { s.maxBodyBytes = v }
            poll.scheduling = s
        }
        guard poll.concurrency >= 1 else {
            throw ConfigError(file: path, line: nil, message: "poll.concurrency: must be at least 1")
        }
        var config = FeedwatchConfig(
            file: path,
            databasePath: place(raw.database ?? "feedwatch.sqlite", in: "STATE_DIRECTORY"),
            alertLogPath: place(raw.alertLog ?? "alerts.jsonl", in: "LOGS_DIRECTORY"),
            topicsPath: resolve(raw.topics ?? "topics.yaml"),
            entitiesPath: resolve(raw.entities ?? "entities.yaml"),
            metricsPath: raw.metricsFile.map(resolve),
            poll: poll,
            allowPrivateAddresses: raw.allowPrivateAddresses ?? false,
            feeds: feeds
        )
        config.retention = raw.retention?.seconds
        if let alerting = raw.alerting {
            var bursts = BurstPolicy()
            if let raw = alerting.bursts {
                bursts.defaults = raw.thresholds(over: bursts.defaults)
                if let hours = raw.baselineHours { bursts.baselineHours = hours }
                for (topic, thresholds) in raw.topics ?? [:] {
                    bursts.topics[topic] = thresholds.thresholds(over: bursts.defaults)
                }
            }
            config.alerting = AlertPolicy(
                storyWindow: alerting.storyWindow?.seconds ?? 72 * 3600,
                maxTextDistance: alerting.maxTextDistance ?? 8,
                minSharedEntities: alerting.minSharedEntities ?? 2,
                bursts: bursts)
        }
        return config
    }

    /// Decodes the topics and the entities file at once, on two threads (they are a third of a 1,000-feed
    /// config's load, which the daemon waits for on one core); throws the errors of both.
    private static func decodeRuleFiles(
        topicsPath: String, entitiesPath: String
    ) throws(ConfigErrors) -> (TopicsFile, EntitiesFile) {
        let topics = Mutex<Result<TopicsFile, ConfigError>?>(nil)
        let entities = Mutex<Result<EntitiesFile, ConfigError>?>(nil)
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            if index == 0 {
                let result = Result { () throws(ConfigError) in
                    try YAMLFile.decode(TopicsFile.self, at: topicsPath, shownAs: topicsPath)
                }
                topics.withLock { $0 = result }
            } else {
                let result = Result { () throws(ConfigError) in
                    try YAMLFile.decode(EntitiesFile.self, at: entitiesPath, shownAs: entitiesPath)
                }
                entities.withLock { $0 = result }
            }
        }
        switch (topics.withLock { $0! }, entities.withLock { $0! }) {
        case (.success(let topics), .success(let entities)): return (topics, entities)
        case (.failure(let error), .success), (.success, .failure(let error)): throw ConfigErrors([error])
        case (.failure(let topicsError), .failure(let entitiesError)): throw ConfigErrors([topicsError, entitiesError])
        }
    }

    /// The line of `<id>:` under `bursts:` → `topics:` in the config, for an unknown topic found after decoding.
    private static func lineOfBurstTopic(_ id: String, in path: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var inBursts = false
        var inTopics = false
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("bursts:") { inBursts = true }
            if inBursts, trimmed.hasPrefix("topics:") { inTopics = true }
            if inTopics, trimmed.hasPrefix("\(id):") || trimmed.hasPrefix("\"\(id)\":") { return number + 1 }
        }
        return nil
    }

    /// The line of `- id: <id>` in a topics or entities file, for errors found after decoding.
    private static func lineOfDefinition(id: String, in path: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "- id: \(id)" || trimmed == "id: \(id)" || trimmed == "- id: \"\(id)\"" {
                return number + 1
            }
        }
        return nil
    }
}

// MARK: The file's shape

/// A duration: a number of seconds, or a string like `90s`, `15m`, `2h`, `1d`.
/// Durations as the config and the CLI write them: `500ms`, `90s`, `15m`, `2h`, `7d`, `2w`.
public enum Durations {
    private static let units: [(suffix: String, seconds: Double)] = [
        ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("w", 604_800),
    ]

    /// The seconds `text` stands for, or nil when it is not a number with one of the units above.
    public static func seconds(in text: String) -> TimeInterval? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        for unit in units where text.hasSuffix(unit.suffix) {
            if let value = Double(text.dropLast(unit.suffix.count).trimmingCharacters(in: .whitespaces)), value >= 0 {
                return value * unit.seconds
            }
        }
        return nil
    }
}

struct DurationValue: Decodable, Equatable {
    var seconds: Double

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(number: try? container.decode(Double.self), at: container.codingPath) {
            try container.decode(String.self)
        }
    }

    /// Reads `node`, at `codingPath`, as `init(from:)` reads it through Yams' decoder.
    init(_ node: Node, at codingPath: [any CodingKey]) throws {
        try self.init(number: node.scalar.flatMap(Double.construct), at: codingPath) {
            try YAMLMapping.scalar(node, as: String.self, at: codingPath)
        }
    }

    /// A positive number of seconds, else the text `text` gives with a unit.
    private init(number: Double?, at codingPath: [any CodingKey], text: () throws -> String) throws {
        if let number {
            guard number > 0 else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: codingPath, debugDescription: "a duration must be positive"))
            }
            seconds = number
            return
        }
        let text = try text()
        if let value = Durations.seconds(in: text), value > 0 {
            seconds = value
            return
        }
        throw DecodingError.dataCorrupted(
            .init(
                codingPath: codingPath,
                debugDescription: "'\(text)' is not a duration (write e.g. 30s, 15m, 2h or a number of seconds)"))
    }
}

/// The config's settings; its `feeds` are read apart, by ``RawFeed/list(in:)``, after them: in a file with
/// errors in both, the settings' error is the one reported.
struct RawConfig: Decodable {
    var database: String?
    var alertLog: String?
    var topics: String?
    var entities: String?
    var metricsFile: String?
    var poll: RawPoll?
    var allowPrivateAddresses: Bool?
    var alerting: RawAlerting?
    var retention: DurationValue?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case database, topics, entities, poll, feeds, alerting, retention
        case alertLog = "alert_log"
        case metricsFile = "metrics_file"
        case allowPrivateAddresses = "allow_private_addresses"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "the config")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        database = try container.decodeIfPresent(String.self, forKey: .database)
        alertLog = try container.decodeIfPresent(String.self, forKey: .alertLog)
        topics = try container.decodeIfPresent(String.self, forKey: .topics)
        entities = try container.decodeIfPresent(String.self, forKey: .entities)
        metricsFile = try container.decodeIfPresent(String.self, forKey: .metricsFile)
        poll = try container.decodeIfPresent(RawPoll.self, forKey: .poll)
        allowPrivateAddresses = try container.decodeIfPresent(Bool.self, forKey: .allowPrivateAddresses)
        alerting = try container.decodeIfPresent(RawAlerting.self, forKey: .alerting)
        retention = try container.decodeIfPresent(DurationValue.self, forKey: .retention)
        if let retention {
            let window = alerting?.storyWindow?.seconds ?? 72 * 3600
            guard retention.seconds >= max(RetentionLimits.minimum, window) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .retention, in: container,
                    debugDescription: "must be at least 7 days and the story window (it would prune open stories)")
            }
        }
    }
}

struct RawPoll: Decodable {
    var interval: DurationValue?
    var concurrency: Int?
    var timeout: DurationValue?
    var minInterval, maxInterval, maxBackoff, goneInterval, connectTimeout, lowSpeedTime: DurationValue?
    var hostGap: Double?
    var connectionsPerHost, lowSpeedLimit, maxBody: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case interval, concurrency, timeout
        case minInterval = "min_interval", maxInterval = "max_interval", maxBackoff = "max_backoff"
        case goneInterval = "gone_interval", connectTimeout = "connect_timeout", lowSpeedTime = "low_speed_time"
        case hostGap = "host_gap", connectionsPerHost = "connections_per_host", lowSpeedLimit = "low_speed_limit"
        case maxBody = "max_body"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "poll")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        interval = try container.decodeIfPresent(DurationValue.self, forKey: .interval)
        concurrency = try container.decodeIfPresent(Int.self, forKey: .concurrency)
        timeout = try container.decodeIfPresent(DurationValue.self, forKey: .timeout)
        minInterval = try container.decodeIfPresent(DurationValue.self, forKey: .minInterval)
        maxInterval = try container.decodeIfPresent(DurationValue.self, forKey: .maxInterval)
        maxBackoff = try container.decodeIfPresent(DurationValue.self, forKey: .maxBackoff)
        goneInterval = try container.decodeIfPresent(DurationValue.self, forKey: .goneInterval)
        connectTimeout = try container.decodeIfPresent(DurationValue.self, forKey: .connectTimeout)
        lowSpeedTime = try container.decodeIfPresent(DurationValue.self, forKey: .lowSpeedTime)
        if let zero = try? container.decodeIfPresent(Double.self, forKey: .hostGap), zero == 0 {
            hostGap = 0
        } else {
            hostGap = try container.decodeIfPresent(DurationValue.self, forKey: .hostGap)?.seconds
        }
        connectionsPerHost = try container.decodeIfPresent(Int.self, forKey: .connectionsPerHost)
        lowSpeedLimit = try container.decodeIfPresent(Int.self, forKey: .lowSpeedLimit)
        maxBody = try container.decodeIfPresent(Int.self, forKey: .maxBody)
    }
}

/// One item of the config's `feeds` list, read straight from its node: a thousand feeds through the `Decodable`
/// machinery took most of the time a config took to load (see ``YAMLMapping``).
struct RawFeed {
    var url: String
    var name: String?
    var interval: DurationValue?
    var allowFile: Bool?
    var allowPrivateAddresses: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case url, name, interval
        case allowFile = "allow_file"
        case allowPrivateAddresses = "allow_private_addresses"
    }

    /// The feeds of the config `root` (a mapping, as decoding ``RawConfig`` found), each URL listed once.
    static func list(in root: Node) throws -> [RawFeed] {
        let key = RawConfig.CodingKeys.feeds
        guard let node = try YAMLMapping(root, at: []).nodeIfPresent(forKey: key) else { return [] }
        guard case .sequence(let items) = node else { throw YAMLMapping.typeMismatch(Node.Sequence.self, at: [key]) }
        let feeds = try items.enumerated().map { index, item in
            try RawFeed(YAMLMapping(item, at: [key, AnyCodingKey(intValue: index)!]))
        }
        var seen: Set<String> = []
        for (index, feed) in feeds.enumerated() where !seen.insert(feed.url).inserted {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: [key, AnyCodingKey(intValue: index)!, CodingKeys.url],
                    debugDescription: "listed twice: \(feed.url)"))
        }
        return feeds
    }

    /// Reads one feed, throwing what Yams' decoder threw for it, at the same coding paths.
    init(_ mapping: YAMLMapping) throws {
        try mapping.rejectUnknownKeys(CodingKeys.self, in: "a feed")
        url = try mapping.decode(String.self, forKey: CodingKeys.url)
        name = try mapping.decodeIfPresent(String.self, forKey: CodingKeys.name)
        interval = try mapping.nodeIfPresent(forKey: CodingKeys.interval).map {
            try DurationValue($0, at: mapping.codingPath + [CodingKeys.interval])
        }
        allowFile = try mapping.decodeIfPresent(Bool.self, forKey: CodingKeys.allowFile)
        allowPrivateAddresses = try mapping.decodeIfPresent(Bool.self, forKey: CodingKeys.allowPrivateAddresses)
        guard let scheme = URL(string: url)?.scheme?.lowercased() else {
            throw mapping.corrupted(CodingKeys.url, "not a URL: '\(url)'")
        }
        guard scheme == "http" || scheme == "https" || (scheme == "file" && allowFile == true) else {
            let hint = scheme == "file" ? " (set allow_file: true on this feed to read a local file)" : ""
            throw mapping.corrupted(CodingKeys.url, "scheme '\(scheme)' is not allowed\(hint)")
        }
    }
}

struct RawAlerting: Decodable {
    var storyWindow: DurationValue?
    var maxTextDistance: Int?
    var minSharedEntities: Int?
    var bursts: RawBursts?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case storyWindow = "story_window", maxTextDistance = "max_text_distance"
        case minSharedEntities = "min_shared_entities", bursts
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "alerting")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        storyWindow = try container.decodeIfPresent(DurationValue.self, forKey: .storyWindow)
        maxTextDistance = try container.decodeIfPresent(Int.self, forKey: .maxTextDistance)
        minSharedEntities = try container.decodeIfPresent(Int.self, forKey: .minSharedEntities)
        bursts = try container.decodeIfPresent(RawBursts.self, forKey: .bursts)
        if let distance = maxTextDistance, !(0...8).contains(distance) {
            throw DecodingError.dataCorruptedError(
                forKey: .maxTextDistance, in: container, debugDescription: "must be 0 to 8 (bits of 64)")
        }
        if let shared = minSharedEntities, shared < 1 {
            throw DecodingError.dataCorruptedError(
                forKey: .minSharedEntities, in: container, debugDescription: "must be at least 1")
        }
    }
}

/// Burst thresholds: the defaults, `baseline_hours`, and per-topic overrides under `topics`.
struct RawBursts: Decodable {
    var enabled: Bool?
    var ratio: Double?
    var minSources: Int?
    var cooldown: DurationValue?
    var baselineHours: Int?
    var topics: [String: RawBursts]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled, ratio, cooldown, topics
        case minSources = "min_sources", baselineHours = "baseline_hours"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "bursts")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled)
        ratio = try container.decodeIfPresent(Double.self, forKey: .ratio)
        minSources = try container.decodeIfPresent(Int.self, forKey: .minSources)
        cooldown = try container.decodeIfPresent(DurationValue.self, forKey: .cooldown)
        baselineHours = try container.decodeIfPresent(Int.self, forKey: .baselineHours)
        topics = try container.decodeIfPresent([String: RawBursts].self, forKey: .topics)
        if let ratio, ratio <= 1 {
            throw DecodingError.dataCorruptedError(forKey: .ratio, in: container, debugDescription: "must be above 1")
        }
        if let minSources, minSources < 1 {
            throw DecodingError.dataCorruptedError(forKey: .minSources, in: container, debugDescription: "must be at least 1")
        }
        if let baselineHours, baselineHours < 1 {
            throw DecodingError.dataCorruptedError(
                forKey: .baselineHours, in: container, debugDescription: "must be at least 1")
        }
    }

    func thresholds(over base: BurstPolicy.Thresholds) -> BurstPolicy.Thresholds {
        BurstPolicy.Thresholds(
            enabled: enabled ?? base.enabled, ratio: ratio ?? base.ratio, minSources: minSources ?? base.minSources,
            cooldown: cooldown?.seconds ?? base.cooldown)
    }
}
