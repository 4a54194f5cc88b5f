namespace Hone.Storage.Relational;

/// <summary>Names shared by the schema scripts of both databases.</summary>
internal static class HoneTables
{
    /// <summary>Optuna's alembic revisions whose schema Hone reads and writes.</summary>
    public static readonly string[] KnownRevisions = ["v3.0.0.d", "v3.2.0.a"];

    /// <summary>The revision Hone records when it creates the schema.</summary>
    public const string CreatedRevision = "v3.2.0.a";

    /// <summary>The schema version Optuna records in version_info for these revisions.</summary>
    public const int SchemaVersion = 12;

    /// <summary>The library version Hone records in version_info (Optuna's readers only show it).</summary>
    public const string LibraryVersion = "3.2.0";

    /// <summary>The tables whose inserts and updates change a trial as a reader sees it (each has trial_id).</summary>
    public static readonly string[] TrialTables =
        ["trials", "trial_params", "trial_values", "trial_intermediate_values", "trial_user_attributes", "trial_system_attributes"];

    public static string UnknownRevision(string revision) =>
        $"the database has Optuna schema revision \"{revision}\", which Hone does not understand (it reads {string.Join(" and ", KnownRevisions)}). " +
        "Use a database made by Optuna 3.0 to 4.x (upgrade older ones with `optuna storage upgrade --storage URL`), or a new file.";
}
