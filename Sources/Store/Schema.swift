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
        return migrator
    }
}
