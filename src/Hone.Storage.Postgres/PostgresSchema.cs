namespace Hone.Storage.Postgres;

/// <summary>The DDL Optuna creates on PostgreSQL (alembic <c>v3.0.0.d</c>, and the index <c>v3.2.0.a</c> adds), and Hone's side tables, indexes and triggers.</summary>
internal static class PostgresSchema
{
    /// <summary>Optuna's types and tables as Optuna 3.1 creates them (pg_dump of its schema, revision v3.0.0.d).</summary>
    public const string OptunaTables = """
        CREATE TYPE studydirection AS ENUM ('NOT_SET', 'MINIMIZE', 'MAXIMIZE');
        CREATE TYPE trialintermediatevaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG', 'NAN');
        CREATE TYPE trialstate AS ENUM ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING');
        CREATE TYPE trialvaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG');
        CREATE TABLE alembic_version (version_num character varying(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
        CREATE TABLE studies (study_id SERIAL NOT NULL, study_name character varying(512) NOT NULL, CONSTRAINT studies_pkey PRIMARY KEY (study_id));
        CREATE UNIQUE INDEX ix_studies_study_name ON studies USING btree (study_name);
        CREATE TABLE version_info (version_info_id integer NOT NULL, schema_version integer, library_version character varying(256),
            CONSTRAINT version_info_pkey PRIMARY KEY (version_info_id), CONSTRAINT version_info_version_info_id_check CHECK ((version_info_id = 1)));
        CREATE TABLE study_directions (study_direction_id SERIAL NOT NULL, direction studydirection NOT NULL, study_id integer NOT NULL, objective integer NOT NULL,
            CONSTRAINT study_directions_pkey PRIMARY KEY (study_direction_id), CONSTRAINT study_directions_study_id_objective_key UNIQUE (study_id, objective),
            CONSTRAINT study_directions_study_id_fkey FOREIGN KEY (study_id) REFERENCES studies(study_id));
        CREATE TABLE study_user_attributes (study_user_attribute_id SERIAL NOT NULL, study_id integer, key character varying(512), value_json text,
            CONSTRAINT study_user_attributes_pkey PRIMARY KEY (study_user_attribute_id), CONSTRAINT study_user_attributes_study_id_key_key UNIQUE (study_id, key),
            CONSTRAINT study_user_attributes_study_id_fkey FOREIGN KEY (study_id) REFERENCES studies(study_id));
        CREATE TABLE study_system_attributes (study_system_attribute_id SERIAL NOT NULL, study_id integer, key character varying(512), value_json text,
            CONSTRAINT study_system_attributes_pkey PRIMARY KEY (study_system_attribute_id), CONSTRAINT study_system_attributes_study_id_key_key UNIQUE (study_id, key),
            CONSTRAINT study_system_attributes_study_id_fkey FOREIGN KEY (study_id) REFERENCES studies(study_id));
        CREATE TABLE trials (trial_id SERIAL NOT NULL, number integer, study_id integer, state trialstate NOT NULL,
            datetime_start timestamp without time zone, datetime_complete timestamp without time zone,
            CONSTRAINT trials_pkey PRIMARY KEY (trial_id), CONSTRAINT trials_study_id_fkey FOREIGN KEY (study_id) REFERENCES studies(study_id));
        CREATE TABLE trial_user_attributes (trial_user_attribute_id SERIAL NOT NULL, trial_id integer, key character varying(512), value_json text,
            CONSTRAINT trial_user_attributes_pkey PRIMARY KEY (trial_user_attribute_id), CONSTRAINT trial_user_attributes_trial_id_key_key UNIQUE (trial_id, key),
            CONSTRAINT trial_user_attributes_trial_id_fkey FOREIGN KEY (trial_id) REFERENCES trials(trial_id));
        CREATE TABLE trial_system_attributes (trial_system_attribute_id SERIAL NOT NULL, trial_id integer, key character varying(512), value_json text,
            CONSTRAINT trial_system_attributes_pkey PRIMARY KEY (trial_system_attribute_id), CONSTRAINT trial_system_attributes_trial_id_key_key UNIQUE (trial_id, key),
            CONSTRAINT trial_system_attributes_trial_id_fkey FOREIGN KEY (trial_id) REFERENCES trials(trial_id));
        CREATE TABLE trial_params (param_id SERIAL NOT NULL, trial_id integer, param_name character varying(512), param_value double precision, distribution_json text,
            CONSTRAINT trial_params_pkey PRIMARY KEY (param_id), CONSTRAINT trial_params_trial_id_param_name_key UNIQUE (trial_id, param_name),
            CONSTRAINT trial_params_trial_id_fkey FOREIGN KEY (trial_id) REFERENCES trials(trial_id));
        CREATE TABLE trial_values (trial_value_id SERIAL NOT NULL, trial_id integer NOT NULL, objective integer NOT NULL, value double precision, value_type trialvaluetype NOT NULL,
            CONSTRAINT trial_values_pkey PRIMARY KEY (trial_value_id), CONSTRAINT trial_values_trial_id_objective_key UNIQUE (trial_id, objective),
            CONSTRAINT trial_values_trial_id_fkey FOREIGN KEY (trial_id) REFERENCES trials(trial_id));
        CREATE TABLE trial_intermediate_values (trial_intermediate_value_id SERIAL NOT NULL, trial_id integer NOT NULL, step integer NOT NULL,
            intermediate_value double precision, intermediate_value_type trialintermediatevaluetype NOT NULL,
            CONSTRAINT trial_intermediate_values_pkey PRIMARY KEY (trial_intermediate_value_id), CONSTRAINT trial_intermediate_values_trial_id_step_key UNIQUE (trial_id, step),
            CONSTRAINT trial_intermediate_values_trial_id_fkey FOREIGN KEY (trial_id) REFERENCES trials(trial_id));
        CREATE TABLE trial_heartbeats (trial_heartbeat_id SERIAL NOT NULL, trial_id integer NOT NULL, heartbeat timestamp without time zone NOT NULL,
            CONSTRAINT trial_heartbeats_pkey PRIMARY KEY (trial_heartbeat_id), CONSTRAINT trial_heartbeats_trial_id_key UNIQUE (trial_id),
            CONSTRAINT trial_heartbeats_trial_id_fkey FOREIGN KEY (trial_id) REFERENCES trials(trial_id));
        """;

    /// <summary>The index revision v3.2.0.a adds (Optuna 3.2 to 4.x create it).</summary>
    public const string StudyIdIndex = "CREATE INDEX trials_study_id_key ON trials USING btree (study_id);";

    /// <summary>The trigger function of <see cref="HoneObjects"/>; its presence marks a schema whose change versions are transaction ids.</summary>
    public const string TouchFunction = "hone_touch_trial_xid";

    /// <summary>
    /// Hone's additions, which Optuna ignores (see SqliteSchema.HoneObjects for the idea). A trial's row in
    /// <c>hone_trial_versions</c> holds the id of the last transaction that wrote the trial or one of its rows; a reader
    /// asks for the rows with an id at or above the oldest transaction running when it last read
    /// (<c>pg_snapshot_xmin</c>), which no transaction committed since can be below. Unlike a per-study counter, writers
    /// of different trials share no row, so concurrent workers do not queue on one lock through each commit. Running it
    /// on a schema of an earlier Hone replaces the counter trigger and sets every stored version to 0.
    /// </summary>
    public static string HoneObjects()
    {
        var sql = new System.Text.StringBuilder($$"""
            CREATE TABLE IF NOT EXISTS hone_study_versions (study_id integer PRIMARY KEY, version bigint NOT NULL);
            CREATE TABLE IF NOT EXISTS hone_trial_versions (trial_id integer PRIMARY KEY, study_id integer NOT NULL, version bigint NOT NULL);
            CREATE INDEX IF NOT EXISTS hone_trial_versions_study_version ON hone_trial_versions (study_id, version);
            CREATE INDEX IF NOT EXISTS hone_trials_study_number ON trials (study_id, number);
            CREATE INDEX IF NOT EXISTS hone_trials_study_state ON trials (study_id, state);
            UPDATE hone_trial_versions SET version = 0 WHERE version <> 0;
            INSERT INTO hone_trial_versions (trial_id, study_id, version) SELECT trial_id, study_id, 0 FROM trials WHERE study_id IS NOT NULL ON CONFLICT DO NOTHING;
            CREATE OR REPLACE FUNCTION {{TouchFunction}}() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE sid integer; x bigint := pg_current_xact_id()::text::bigint;
            BEGIN
              IF TG_TABLE_NAME = 'trials' THEN sid := NEW.study_id; ELSE SELECT study_id INTO sid FROM trials WHERE trial_id = NEW.trial_id; END IF;
              IF sid IS NULL THEN RETURN NULL; END IF;
              INSERT INTO hone_trial_versions AS tv (trial_id, study_id, version) VALUES (NEW.trial_id, sid, x)
                ON CONFLICT (trial_id) DO UPDATE SET version = EXCLUDED.version, study_id = EXCLUDED.study_id
                WHERE tv.version <> EXCLUDED.version OR tv.study_id <> EXCLUDED.study_id;
              RETURN NULL;
            END $$;

            """);
        foreach (var table in Relational.HoneTables.TrialTables)
        {
            sql.Append($"""
                DROP TRIGGER IF EXISTS hone_{table}_touch ON {table};
                CREATE TRIGGER hone_{table}_touch AFTER INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {TouchFunction}();

                """);
        }

        sql.Append("DROP FUNCTION IF EXISTS hone_touch_trial();\n");
        return sql.ToString();
    }
}
