namespace Hone.Storage.Sqlite;

/// <summary>The DDL Optuna creates on SQLite (alembic <c>v3.0.0.d</c>, and the index <c>v3.2.0.a</c> adds), and Hone's side tables, indexes and triggers.</summary>
internal static class SqliteSchema
{
    /// <summary>Optuna's tables exactly as Optuna 3.1 creates them (revision v3.0.0.d).</summary>
    public const string OptunaTables = """
        CREATE TABLE studies (
        	study_id INTEGER NOT NULL, 
        	study_name VARCHAR(512) NOT NULL, 
        	PRIMARY KEY (study_id)
        );
        CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name);
        CREATE TABLE version_info (
        	version_info_id INTEGER NOT NULL, 
        	schema_version INTEGER, 
        	library_version VARCHAR(256), 
        	PRIMARY KEY (version_info_id), 
        	CHECK (version_info_id=1)
        );
        CREATE TABLE study_directions (
        	study_direction_id INTEGER NOT NULL, 
        	direction VARCHAR(8) NOT NULL, 
        	study_id INTEGER NOT NULL, 
        	objective INTEGER NOT NULL, 
        	PRIMARY KEY (study_direction_id), 
        	UNIQUE (study_id, objective), 
        	FOREIGN KEY(study_id) REFERENCES studies (study_id)
        );
        CREATE TABLE study_user_attributes (
        	study_user_attribute_id INTEGER NOT NULL, 
        	study_id INTEGER, 
        	"key" VARCHAR(512), 
        	value_json TEXT, 
        	PRIMARY KEY (study_user_attribute_id), 
        	UNIQUE (study_id, "key"), 
        	FOREIGN KEY(study_id) REFERENCES studies (study_id)
        );
        CREATE TABLE study_system_attributes (
        	study_system_attribute_id INTEGER NOT NULL, 
        	study_id INTEGER, 
        	"key" VARCHAR(512), 
        	value_json TEXT, 
        	PRIMARY KEY (study_system_attribute_id), 
        	UNIQUE (study_id, "key"), 
        	FOREIGN KEY(study_id) REFERENCES studies (study_id)
        );
        CREATE TABLE trials (
        	trial_id INTEGER NOT NULL, 
        	number INTEGER, 
        	study_id INTEGER, 
        	state VARCHAR(8) NOT NULL, 
        	datetime_start DATETIME, 
        	datetime_complete DATETIME, 
        	PRIMARY KEY (trial_id), 
        	FOREIGN KEY(study_id) REFERENCES studies (study_id)
        );
        CREATE TABLE trial_user_attributes (
        	trial_user_attribute_id INTEGER NOT NULL, 
        	trial_id INTEGER, 
        	"key" VARCHAR(512), 
        	value_json TEXT, 
        	PRIMARY KEY (trial_user_attribute_id), 
        	UNIQUE (trial_id, "key"), 
        	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
        );
        CREATE TABLE trial_system_attributes (
        	trial_system_attribute_id INTEGER NOT NULL, 
        	trial_id INTEGER, 
        	"key" VARCHAR(512), 
        	value_json TEXT, 
        	PRIMARY KEY (trial_system_attribute_id), 
        	UNIQUE (trial_id, "key"), 
        	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
        );
        CREATE TABLE trial_params (
        	param_id INTEGER NOT NULL, 
        	trial_id INTEGER, 
        	param_name VARCHAR(512), 
        	param_value FLOAT, 
        	distribution_json TEXT, 
        	PRIMARY KEY (param_id), 
        	UNIQUE (trial_id, param_name), 
        	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
        );
        CREATE TABLE trial_values (
        	trial_value_id INTEGER NOT NULL, 
        	trial_id INTEGER NOT NULL, 
        	objective INTEGER NOT NULL, 
        	value FLOAT, 
        	value_type VARCHAR(7) NOT NULL, 
        	PRIMARY KEY (trial_value_id), 
        	UNIQUE (trial_id, objective), 
        	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
        );
        CREATE TABLE trial_intermediate_values (
        	trial_intermediate_value_id INTEGER NOT NULL, 
        	trial_id INTEGER NOT NULL, 
        	step INTEGER NOT NULL, 
        	intermediate_value FLOAT, 
        	intermediate_value_type VARCHAR(7) NOT NULL, 
        	PRIMARY KEY (trial_intermediate_value_id), 
        	UNIQUE (trial_id, step), 
        	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
        );
        CREATE TABLE trial_heartbeats (
        	trial_heartbeat_id INTEGER NOT NULL, 
        	trial_id INTEGER NOT NULL, 
        	heartbeat DATETIME NOT NULL, 
        	PRIMARY KEY (trial_heartbeat_id), 
        	UNIQUE (trial_id), 
        	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
        );
        CREATE TABLE alembic_version (
        	version_num VARCHAR(32) NOT NULL, 
        	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
        );
        """;

    /// <summary>The index revision v3.2.0.a adds (Optuna 3.2 to 4.x create it).</summary>
    public const string StudyIdIndex = "CREATE INDEX trials_study_id_key ON trials (study_id);";

    /// <summary>
    /// Hone's additions, which Optuna ignores: the change versions behind "trials changed since V", kept by
    /// triggers so that every client's writes count, and two indexes for trial numbering and waiting-trial pops.
    /// </summary>
    public static string HoneObjects()
    {
        var sql = new System.Text.StringBuilder("""
            CREATE TABLE IF NOT EXISTS hone_study_versions (study_id INTEGER PRIMARY KEY, version INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS hone_trial_versions (trial_id INTEGER PRIMARY KEY, study_id INTEGER NOT NULL, version INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS hone_trial_versions_study_version ON hone_trial_versions (study_id, version);
            CREATE INDEX IF NOT EXISTS hone_trials_study_number ON trials (study_id, number);
            CREATE INDEX IF NOT EXISTS hone_trials_study_state ON trials (study_id, state);
            INSERT OR IGNORE INTO hone_study_versions (study_id, version) SELECT DISTINCT study_id, 1 FROM trials WHERE study_id IS NOT NULL;
            INSERT OR IGNORE INTO hone_trial_versions (trial_id, study_id, version) SELECT trial_id, study_id, 1 FROM trials WHERE study_id IS NOT NULL;

            """);
        foreach (var table in Relational.HoneTables.TrialTables)
        {
            foreach (var (suffix, evt) in (ReadOnlySpan<(string, string)>)[("ai", "INSERT"), ("au", "UPDATE")])
            {
                sql.Append($"""
                    CREATE TRIGGER IF NOT EXISTS hone_{table}_{suffix} AFTER {evt} ON {table} BEGIN
                      INSERT INTO hone_study_versions (study_id, version) SELECT study_id, 1 FROM trials WHERE trial_id = NEW.trial_id AND study_id IS NOT NULL
                        ON CONFLICT (study_id) DO UPDATE SET version = version + 1;
                      INSERT INTO hone_trial_versions (trial_id, study_id, version)
                        SELECT t.trial_id, t.study_id, v.version FROM trials t JOIN hone_study_versions v ON v.study_id = t.study_id WHERE t.trial_id = NEW.trial_id
                        ON CONFLICT (trial_id) DO UPDATE SET version = excluded.version, study_id = excluded.study_id;
                    END;

                    """);
            }
        }

        return sql.ToString();
    }
}
