import GRDB

/// The database schema, as an ordered list of migrations. Table and column names are a public,
/// documented contract (README "The database"): add migrations, never rewrite a shipped one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: feeds, items, analyses, alerts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE feeds (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        url TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL,
                        etag TEXT,
                        last_modified TEXT,
                        last_fetch_at DATETIME,
                        last_status INTEGER,
                        last_error TEXT,
                        consecutive_failures INTEGER NOT NULL DEFAULT 0,
                        next_due_at DATETIME,
                        last_bytes INTEGER,
                        last_duration REAL
                    );
                    CREATE TABLE items (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
                        item_key TEXT NOT NULL,
                        key_source TEXT NOT NULL,
                        title TEXT,
                        link TEXT,
                        published_at DATETIME,
                        first_seen_at DATETIME NOT NULL,
                        UNIQUE (feed_id, item_key)
                    );
                    CREATE TABLE analyses (
                        item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
                        language TEXT NOT NULL,
                        topics TEXT NOT NULL,
                        result TEXT NOT NULL,
                        analyzed_at DATETIME NOT NULL
                    );
                    CREATE TABLE alerts (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        created_at DATETIME NOT NULL,
                        topic TEXT NOT NULL,
                        severity TEXT NOT NULL,
                        score REAL NOT NULL,
                        modality TEXT NOT NULL,
                        feed_id INTEGER NOT NULL REFERENCES feeds(id),
                        item_id INTEGER NOT NULL REFERENCES items(id),
                        story INTEGER NOT NULL,
                        sources INTEGER NOT NULL DEFAULT 1,
                        language TEXT NOT NULL,
                        evidence TEXT NOT NULL,
                        entities TEXT NOT NULL,
                        quantities TEXT NOT NULL,
                        UNIQUE (item_id, topic)
                    );
                    CREATE INDEX alerts_by_topic ON alerts(topic, created_at);
                    CREATE INDEX alerts_by_time ON alerts(created_at);
                    """
            )
        }
        migrator.registerMigration("v2: feeds moved by permanent redirects, last success, ttl") { db in
            // `url` stays the config's URL, the key that ties config and store together; `fetch_url` is where
            // the feed is fetched from after a permanent redirect was confirmed (NULL: from `url`).
            // `pending_redirect_url` is a permanent redirect seen but not yet confirmed, and
            // `pending_redirect_seen` how many polls in a row have seen it. `ttl_minutes` is the feed's own
            // <ttl> from its last full fetch, kept so a 304 is scheduled like the 200 before it.
            try db.execute(
                sql: """
                    ALTER TABLE feeds ADD COLUMN fetch_url TEXT;
                    ALTER TABLE feeds ADD COLUMN pending_redirect_url TEXT;
                    ALTER TABLE feeds ADD COLUMN pending_redirect_seen INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE feeds ADD COLUMN last_success_at DATETIME;
                    ALTER TABLE feeds ADD COLUMN ttl_minutes INTEGER;
                    UPDATE feeds SET last_success_at = last_fetch_at WHERE last_error IS NULL AND last_fetch_at IS NOT NULL;
                    """
            )
        }
        migrator.registerMigration("v3: stories, their sources, alert kinds, removed items") { db in
            // A story is one event reported by one or more items, across feeds and languages. Each alerting
            // item is one row of `story_sources`, with the fingerprint it was matched by; `story_topics`
            // holds what the story's alerts on each topic have said, so a later report re-alerts only on a
            // material change. `removed_items` keeps the keys of items pruned by retention, so a feed that
            // still lists one does not bring it back as new.
            try db.execute(
                sql: """
                    CREATE TABLE stories (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        first_seen_at DATETIME NOT NULL,
                        last_seen_at DATETIME NOT NULL,
                        title TEXT,
                        topics TEXT NOT NULL,
                        languages TEXT NOT NULL,
                        sources INTEGER NOT NULL DEFAULT 1,
                        feeds INTEGER NOT NULL DEFAULT 1
                    );
                    CREATE INDEX stories_by_last_seen ON stories(last_seen_at);
                    CREATE INDEX items_by_first_seen ON items(first_seen_at);
                    CREATE TABLE story_sources (
                        item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
                        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
                        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
                        language TEXT NOT NULL,
                        joined_at DATETIME NOT NULL,
                        matched_by TEXT NOT NULL,
                        distance INTEGER,
                        simhash TEXT NOT NULL,
                        entities TEXT NOT NULL,
                        key_entities TEXT NOT NULL,
                        quantities TEXT NOT NULL,
                        topics TEXT NOT NULL
                    );
                    CREATE INDEX story_sources_by_story ON story_sources(story_id);
                    CREATE TABLE story_topics (
                        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
                        topic TEXT NOT NULL,
                        modalities TEXT NOT NULL,
                        last_modality TEXT NOT NULL,
                        max_killed REAL NOT NULL DEFAULT 0,
                        max_wounded REAL NOT NULL DEFAULT 0,
                        places TEXT NOT NULL DEFAULT '',
                        PRIMARY KEY (story_id, topic)
                    ) WITHOUT ROWID;
                    CREATE TABLE removed_items (
                        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
                        item_key TEXT NOT NULL,
                        removed_at DATETIME NOT NULL,
                        PRIMARY KEY (feed_id, item_key)
                    ) WITHOUT ROWID;
                    """
            )
            // Alerts gain a kind (new, update, burst), what changed for an update, and a burst's figures; one
            // alert per (item, topic, kind). SQLite cannot change a UNIQUE constraint in place, so the table
            // is copied, keeping every id and the id sequence (which may run ahead of the rows).
            let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'alerts'") ?? 0
            try db.execute(
                sql: """
                    CREATE TABLE alerts_v3 (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        created_at DATETIME NOT NULL,
                        topic TEXT NOT NULL,
                        kind TEXT NOT NULL DEFAULT 'new',
                        severity TEXT NOT NULL,
                        score REAL NOT NULL,
                        modality TEXT NOT NULL,
                        feed_id INTEGER NOT NULL REFERENCES feeds(id),
                        item_id INTEGER NOT NULL REFERENCES items(id),
                        story INTEGER NOT NULL,
                        sources INTEGER NOT NULL DEFAULT 1,
                        language TEXT NOT NULL,
                        change TEXT,
                        burst TEXT,
                        evidence TEXT NOT NULL,
                        entities TEXT NOT NULL,
                        quantities TEXT NOT NULL,
                        UNIQUE (item_id, topic, kind)
                    );
                    INSERT INTO alerts_v3 (id, created_at, topic, kind, severity, score, modality, feed_id, item_id,
                        story, sources, language, evidence, entities, quantities)
                    SELECT id, created_at, topic, 'new', severity, score, modality, feed_id, item_id,
                        story, sources, language, evidence, entities, quantities FROM alerts;
                    DROP TABLE alerts;
                    ALTER TABLE alerts_v3 RENAME TO alerts;
                    CREATE INDEX alerts_by_topic ON alerts(topic, created_at);
                    CREATE INDEX alerts_by_time ON alerts(created_at);
                    CREATE INDEX alerts_by_story ON alerts(story);
                    """
            )
            if sequence > 0 {
                try db.execute(
                    sql: "UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'alerts'", arguments: [sequence])
                if db.changesCount == 0 {
                    try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('alerts', ?)", arguments: [sequence])
                }
            }
            // Alerts made before stories each stood for their item's own story (story = item id): give each
            // such item a story with that id, so the ids in the log keep pointing at something.
            try db.execute(
                sql: """
                    INSERT INTO stories (id, first_seen_at, last_seen_at, title, topics, languages, sources, feeds)
                    SELECT i.id, i.first_seen_at, i.first_seen_at, i.title,
                        (SELECT group_concat(topic, ',') FROM alerts WHERE item_id = i.id),
                        COALESCE(an.language, ''), 1, 1
                    FROM items i LEFT JOIN analyses an ON an.item_id = i.id
                    WHERE i.id IN (SELECT item_id FROM alerts);
                    INSERT INTO story_sources (item_id, story_id, feed_id, language, joined_at, matched_by, distance,
                        simhash, entities, key_entities, quantities, topics)
                    SELECT s.id, s.id, i.feed_id, s.languages, s.first_seen_at, 'first', NULL,
                        COALESCE(json_extract(an.result, '$.fingerprint.simhash'), '0000000000000000'),
                        COALESCE((SELECT group_concat(value, ',') FROM json_each(an.result, '$.fingerprint.entities')), ''),
                        COALESCE((SELECT group_concat(value, ',') FROM json_each(an.result, '$.fingerprint.entities')), ''),
                        COALESCE((SELECT group_concat(json_extract(value, '$.value') || ' ' || json_extract(value, '$.unit'), ';')
                            FROM json_each(an.result, '$.fingerprint.quantities')), ''),
                        s.topics
                    FROM stories s JOIN items i ON i.id = s.id LEFT JOIN analyses an ON an.item_id = s.id;
                    INSERT INTO story_topics (story_id, topic, modalities, last_modality, max_killed, max_wounded)
                    SELECT a.item_id, a.topic, a.modality, a.modality,
                        COALESCE((SELECT MAX(json_extract(q.value, '$.value')) FROM analyses an,
                            json_each(an.result, '$.quantities') q
                            WHERE an.item_id = a.item_id AND json_extract(q.value, '$.unit') = 'killed'), 0),
                        COALESCE((SELECT MAX(json_extract(q.value, '$.value')) FROM analyses an,
                            json_each(an.result, '$.quantities') q
                            WHERE an.item_id = a.item_id AND json_extract(q.value, '$.unit') = 'wounded'), 0)
                    FROM alerts a;
                    """
            )
        }
        return migrator
    }
}
