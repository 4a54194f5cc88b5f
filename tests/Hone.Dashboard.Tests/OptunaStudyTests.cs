using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Hone.Storage;

namespace Hone.Dashboard.Tests;

/// <summary>The dashboard over a SQLite database that Optuna 3.1 (Debian's python3-optuna at /usr/bin/python3) wrote.</summary>
public sealed class OptunaStudyTests : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly string _folder = Directory.CreateTempSubdirectory("hone-optuna-dash-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string? WhyMissing()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is missing; apt-get install python3-optuna";
        }

        using var check = Process.Start(new ProcessStartInfo(Python, ["-c", "import optuna"]) { RedirectStandardError = true })!;
        check.WaitForExit();
        return check.ExitCode == 0 ? null : "python3-optuna is missing; apt-get install python3-optuna";
    }

    [Fact]
    public async Task OptunaWrittenStudy_IsListed_PagedAndPlotted()
    {
        if (WhyMissing() is { } why)
        {
            Assert.False(Browser.InCi, why);
            return;
        }

        var db = Path.Combine(_folder, "optuna.db");
        const string script = """
            import sys, optuna
            optuna.logging.set_verbosity(optuna.logging.WARNING)
            study = optuna.create_study(study_name="from-optuna", storage="sqlite:///" + sys.argv[1], sampler=optuna.samplers.RandomSampler(seed=1))
            study.set_user_attr("origin", "optuna")
            study.optimize(lambda t: (t.suggest_float("x", -1, 1) - 0.2) ** 2 + (0 if t.suggest_categorical("c", ["a", "b"]) == "a" else 1), n_trials=25)
            """;
        using (var python = Process.Start(new ProcessStartInfo(Python, ["-c", script, db]) { RedirectStandardError = true })!)
        {
            var error = await python.StandardError.ReadToEndAsync();
            await python.WaitForExitAsync();
            Assert.True(python.ExitCode == 0, error);
        }

        var storage = StorageUrl.Parse($"sqlite:///{db}").Open();
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Storage = storage, Port = 0 });
        using var client = new HttpClient { BaseAddress = server.Address };

        var studies = await client.GetFromJsonAsync<JsonElement>("api/studies");
        var id = Assert.Single(studies.EnumerateArray(), s => s.GetProperty("name").GetString() == "from-optuna").GetProperty("id").GetInt64();
        var detail = await client.GetFromJsonAsync<JsonElement>($"api/studies/{id}");
        Assert.Equal("optuna", detail.GetProperty("user_attrs").GetProperty("origin").GetString());
        var page = await client.GetFromJsonAsync<JsonElement>($"api/studies/{id}/trials?sort=value:0&size=5");
        Assert.Equal(25, page.GetProperty("total").GetInt32());
        var values = page.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("values")[0].GetDouble()).ToList();
        Assert.Equal(values.Order(), values);
        var history = await client.GetFromJsonAsync<JsonElement>($"api/studies/{id}/plots/history");
        Assert.Equal(25, history.GetProperty("data")[0].GetProperty("x").GetArrayLength());
        (storage as IDisposable)?.Dispose();
    }
}
