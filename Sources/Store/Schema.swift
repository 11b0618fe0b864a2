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
        return migrator
    }
}
