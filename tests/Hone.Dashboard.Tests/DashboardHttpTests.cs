using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hone.Storage;

namespace Hone.Dashboard.Tests;

public sealed class DashboardHttpTests
{
    private static async Task<(DashboardServer Server, HttpClient Client)> Start(IStorage storage, string host = "127.0.0.1", string? token = null, bool readOnly = false)
    {
        var server = await DashboardServer.StartAsync(new DashboardOptions { Storage = storage, Host = host, Port = 0, Token = token, ReadOnly = readOnly });
        var address = host == "0.0.0.0" ? new Uri($"http://127.0.0.1:{server.Address.Port}/") : server.Address;
        return (server, new HttpClient { BaseAddress = address });
    }

    [Fact]
    public async Task NonLoopbackHost_WithoutToken_IsRefusedBeforeListening()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => DashboardServer.StartAsync(new DashboardOptions { Storage = new InMemoryStorage(), Host = "0.0.0.0", Port = 0 }));

        Assert.Contains("token", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExposedWithToken_RequestWithoutIt_Gets401_WithItGets200()
    {
        var (server, client) = await Start(new InMemoryStorage(), "0.0.0.0", "s3cret");
        await using var _ = server;

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/studies")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/studies?token=wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/studies?token=s3cret")).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Note_IsStoredInOptunaDashboardsFormat_AndReadOnlyRefusesWrites()
    {
        var storage = new InMemoryStorage();
        Studies.TwoObjectives(storage);
        var id = storage.FindStudy("two")!.Value;
        var (server, client) = await Start(storage);
        await using (server)
        {
            var long_ = new string('n', 3000);
            var saved = await client.PutAsJsonAsync($"api/studies/{id}/note", new { version = 0, body = long_ });
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            var stale = await client.PutAsJsonAsync($"api/studies/{id}/note", new { version = 0, body = "again" });
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        }

        var attrs = storage.GetStudySystemAttrs(id);
        Assert.Equal(1, attrs["dashboard:note_ver"].GetInt32());
        Assert.Equal(new string('n', 3000), long_Body(attrs));

        var (readOnly, readOnlyClient) = await Start(storage, readOnly: true);
        await using (readOnly)
        {
            var refused = await readOnlyClient.PutAsJsonAsync($"api/studies/{id}/note", new { version = 1, body = "x" });
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var note = await readOnlyClient.GetFromJsonAsync<JsonElement>($"api/studies/{id}/note");
            Assert.Equal(3000, note.GetProperty("body").GetString()!.Length);
        }

        static string long_Body(IReadOnlyDictionary<string, JsonElement> a) => a["dashboard:note_str:0"].GetString() + a["dashboard:note_str:1"].GetString();
    }

    [Fact]
    public async Task TrialPage_SortsFiltersAndPagesOnTheServer()
    {
        var storage = new InMemoryStorage();
        Studies.Many(storage, "many", 1000);
        var id = storage.FindStudy("many")!.Value;
        var (server, client) = await Start(storage);
        await using var _ = server;

        var byValue = await client.GetFromJsonAsync<JsonElement>($"api/studies/{id}/trials?sort=value:0&desc=1&size=10&page=2");
        var values = byValue.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("values")[0].GetDouble()).ToList();
        var all = ((IStorage)storage).GetAllTrials(id).Select(t => t.Values![0]).OrderDescending().ToList();

        Assert.Equal(1000, byValue.GetProperty("total").GetInt32());
        Assert.Equal(all.Skip(20).Take(10), values);
        var one = await client.GetFromJsonAsync<JsonElement>($"api/studies/{id}/trials?q=%23123");
        Assert.Equal(123, Assert.Single(one.GetProperty("trials").EnumerateArray()).GetProperty("number").GetInt32());
        var none = await client.GetFromJsonAsync<JsonElement>($"api/studies/{id}/trials?state=pruned");
        Assert.Equal(0, none.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Plot_EveryKind_AnswersAFigureOrNullForStudiesItDoesNotApplyTo()
    {
        var storage = new InMemoryStorage();
        Studies.Mixed(storage);
        Studies.TwoObjectives(storage);
        var (server, client) = await Start(storage);
        await using var _ = server;

        foreach (var name in new[] { "mixed", "two" })
        {
            var id = storage.FindStudy(name)!.Value;
            var drawn = new List<string>();
            foreach (var kind in Report.Plots.StudyPlots.Kinds)
            {
                var figure = await client.GetFromJsonAsync<JsonElement>($"api/studies/{id}/plots/{kind}");
                if (figure.ValueKind == JsonValueKind.Object)
                {
                    Assert.True(figure.GetProperty("data").GetArrayLength() > 0, $"{name}/{kind}");
                    drawn.Add(kind);
                }
            }

            Assert.Contains(name == "two" ? "pareto" : "history", drawn);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("api/studies/1/plots/pie")).StatusCode);
    }
}
