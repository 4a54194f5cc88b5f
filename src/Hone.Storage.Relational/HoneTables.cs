namespace Hone.Storage.Relational;

/// <summary>Names shared by the schema scripts of both databases.</summary>
internal static class HoneTables
{
    /// <summary>Optuna's alembic revisions whose schema Hone reads and writes.</summary>
    public static readonly string[] KnownRevisions = ["v3.0.0.d", "v3.2.0.a"];

    /// <summary>
    /// The revision Hone records when it creates the schema and the URL has no <c>optuna_schema</c> option
    /// (see <see cref="OptunaSchemaOption"/>): current Optuna and optuna-dashboard open it without flags.
    /// </summary>
    public const string CreatedRevision = OptunaSchemaOption.Optuna32;

    /// <summary>The schema version Optuna records in version_info for these revisions.</summary>
    public const int SchemaVersion = 12;

    /// <summary>The library version Hone records in version_info for a revision: the Optuna release that creates it (Optuna only shows it in messages).</summary>
    public static string LibraryVersion(string revision) => revision == OptunaSchemaOption.Optuna30 ? "3.1.0" : "3.2.0";

    /// <summary>Whether a new database at this revision gets the index <c>trials_study_id_key</c> (what v3.2.0.a added to v3.0.0.d).</summary>
    public static bool HasStudyIdIndex(string revision) => revision != OptunaSchemaOption.Optuna30;

    /// <summary>The tables whose inserts and updates change a trial as a reader sees it (each has trial_id).</summary>
    public static readonly string[] TrialTables =
        ["trials", "trial_params", "trial_values", "trial_intermediate_values", "trial_user_attributes", "trial_system_attributes"];

    public static string UnknownRevision(string revision) =>
        $"the database has Optuna schema revision \"{revision}\", which Hone does not understand (it reads {string.Join(" and ", KnownRevisions)}). " +
        "Use a database made by Optuna 3.0 to 4.x (upgrade older ones with `optuna storage upgrade --storage URL`), or a new file.";
}
