using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hone.Report;
using Hone.Report.Plots;
using Hone.Storage;
using Hone.Studies;
using Hone.Trials;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hone.Dashboard;

/// <summary>
/// A live web dashboard over a storage (ASP.NET Core minimal API and an embedded static front end): the studies, a
/// trial table sorted, filtered and paged on the server, every plot of <see cref="StudyPlots"/>, user and system
/// attributes, and a note per study (in optuna-dashboard's format). The page checks the storage's change version and
/// redraws when trials change, so trials finished by other processes appear without a reload.
/// </summary>
/// <remarks>Listens on loopback unless told otherwise; any other address needs a token that every request must carry.</remarks>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DashboardOptions _options;
    private readonly ConcurrentDictionary<long, TrialCacheEntry> _trials = new();
    private readonly ConcurrentDictionary<long, Study> _studies = new();
    private readonly ConcurrentDictionary<(long Study, string Kind), (long Version, string Json)> _figures = new();
    private readonly ConcurrentDictionary<long, (long Version, TrialQuery Query, IReadOnlyList<FrozenTrial> Trials)> _orders = new();

    private DashboardServer(WebApplication app, DashboardOptions options, Uri address)
    {
        _app = app;
        _options = options;
        Address = address;
    }

    /// <summary>The address the dashboard listens on, such as http://127.0.0.1:8080/.</summary>
    public Uri Address { get; }

    /// <summary>Starts listening.</summary>
    /// <exception cref="ArgumentException">The options are invalid (a non-loopback host without a token, a bad port).</exception>
    public static async Task<DashboardServer> StartAsync(DashboardOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            if (options.Host == "localhost")
            {
                k.ListenLocalhost(options.Port);
            }
            else
            {
                k.Listen(IPAddress.Parse(options.Host), options.Port);
            }
        });
        var app = builder.Build();
        DashboardServer? server = null;
        app.Use(async (context, next) =>
        {
            if (options.Token is { Length: > 0 } token && !HasToken(context.Request, token))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsync("401: this dashboard needs its token (?token=... or Authorization: Bearer ...).").ConfigureAwait(false);
                return;
            }

            if (options.Token is { Length: > 0 } && context.Request.Query.ContainsKey("token"))
            {
                // The page's own scripts and styles are fetched without the query; the cookie carries the token for them.
                context.Response.Cookies.Append(TokenCookie, options.Token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
            }

            await next(context).ConfigureAwait(false);
        });
        app.MapGet("/", () => Results.Content(Asset("index.html"), "text/html; charset=utf-8"));
        app.MapGet("/app.js", () => Results.Content(Asset("app.js"), "text/javascript; charset=utf-8"));
        app.MapGet("/app.css", () => Results.Content(Asset("app.css"), "text/css; charset=utf-8"));
        app.MapGet("/plotly.min.js", () => Results.Content(PlotlyBundle.Script, "text/javascript; charset=utf-8"));
        app.MapGet("/api/config", () => Json(new JsonObject { ["read_only"] = options.ReadOnly, ["poll_ms"] = options.PollMilliseconds, ["plots"] = new JsonArray([.. StudyPlots.Kinds.Select(k => (JsonNode?)k)]) }));
        app.MapGet("/api/studies", () => server!.Studies());
        app.MapGet("/api/studies/{id:long}", (long id) => server!.StudyDetail(id));
        app.MapGet("/api/studies/{id:long}/version", (long id) => Json(new JsonObject { ["version"] = server!.Cache(id).Refresh().Version }));
        app.MapGet("/api/studies/{id:long}/trials", (long id, HttpRequest request) => server!.TrialPage(id, request));
        app.MapGet("/api/studies/{id:long}/plots/{kind}", (long id, string kind) => server!.Plot(id, kind));
        app.MapGet("/api/studies/{id:long}/note", (long id) => server!.Note(id));
        app.MapPut("/api/studies/{id:long}/note", (long id, HttpRequest request) => server!.SaveNote(id, request));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new DashboardServer(app, options, new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal) + "/"));
        server.Preload = Task.Run(server.LoadAll, CancellationToken.None);
        return server;
    }

    /// <summary>
    /// Reading every study's trials into memory, started with the server so the first page a user asks for is answered
    /// from memory; a request that comes earlier waits for its study's load.
    /// </summary>
    public Task Preload { get; private set; } = Task.CompletedTask;

    private void LoadAll()
    {
        try
        {
            foreach (var study in _options.Storage.GetAllStudies())
            {
                Cache(study.StudyId).Refresh();
            }

            // Reading a large study leaves much garbage behind (rows, JSON); give its memory back to the system once,
            // so the long-running server holds little more than the trials themselves.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
        catch (StorageException)
        {
            // A request will meet the same error and report it.
        }
    }

    /// <summary>Waits until the server stops (Ctrl+C, or <paramref name="cancellationToken"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await Preload.ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        foreach (var study in _studies.Values)
        {
            study.Dispose();
        }
    }

    private const string TokenCookie = "hone_dashboard_token";

    private static bool HasToken(HttpRequest request, string token)
    {
        var given = request.Query["token"].FirstOrDefault()
            ?? (request.Headers.Authorization.FirstOrDefault() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : null)
            ?? request.Cookies[TokenCookie];
        return given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token));
    }

    private static string Asset(string name)
    {
        using var stream = typeof(DashboardServer).Assembly.GetManifestResourceStream("Hone.Dashboard." + name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static IResult Json(JsonNode node) => Results.Content(node.ToJsonString(), "application/json; charset=utf-8");

    private static IResult NotFound(string message) => Results.Content(new JsonObject { ["error"] = message }.ToJsonString(), "application/json", statusCode: 404);

    private TrialCacheEntry Cache(long id) => _trials.GetOrAdd(id, studyId => new TrialCacheEntry(_options.Storage, studyId));

    private StudyRecord? Record(long id)
    {
        try
        {
            return _options.Storage.GetStudy(id);
        }
        catch (StudyNotFoundException)
        {
            return null;
        }
    }

    private IResult Studies()
    {
        var list = new JsonArray();
        foreach (var s in _options.Storage.GetAllStudies())
        {
            list.Add((JsonNode)new JsonObject
            {
                ["id"] = s.StudyId, ["name"] = s.Name,
                ["directions"] = new JsonArray([.. s.Directions.Select(d => (JsonNode?)d.ToString().ToLowerInvariant())]),
            });
        }

        return Json(list);
    }

    private IResult StudyDetail(long id)
    {
        if (Record(id) is not { } record)
        {
            return NotFound($"no study with id {id}");
        }

        var (trials, version) = Cache(id).Refresh();
        var states = new JsonObject();
        foreach (var g in trials.GroupBy(t => t.State))
        {
            states[g.Key.ToString().ToLowerInvariant()] = g.Count();
        }

        var paramNames = trials.TakeLast(1000).SelectMany(t => t.Params.Keys).Distinct().Order(StringComparer.Ordinal);
        return Json(new JsonObject
        {
            ["id"] = id, ["name"] = record.Name, ["version"] = version, ["trials"] = trials.Length, ["states"] = states,
            ["directions"] = new JsonArray([.. record.Directions.Select(d => (JsonNode?)d.ToString().ToLowerInvariant())]),
            ["params"] = new JsonArray([.. paramNames.Select(n => (JsonNode?)n)]),
            ["user_attrs"] = Attrs(_options.Storage.GetStudyUserAttrs(id)),
            ["system_attrs"] = Attrs(_options.Storage.GetStudySystemAttrs(id).Where(kv => !kv.Key.StartsWith("dashboard:", StringComparison.Ordinal))),
        });
    }

    private static JsonObject Attrs(IEnumerable<KeyValuePair<string, JsonElement>> attrs)
    {
        var o = new JsonObject();
        foreach (var (key, value) in attrs)
        {
            o[key] = JsonNode.Parse(value.GetRawText());
        }

        return o;
    }

    private IResult TrialPage(long id, HttpRequest request)
    {
        if (Record(id) is null)
        {
            return NotFound($"no study with id {id}");
        }

        int Int(string key, int fallback) => int.TryParse(request.Query[key].FirstOrDefault(), CultureInfo.InvariantCulture, out var v) ? v : fallback;
        TrialState? state = Enum.TryParse<TrialState>(request.Query["state"].FirstOrDefault(), ignoreCase: true, out var s) ? s : null;
        var query = new TrialQuery(
            Math.Max(0, Int("page", 0)), Math.Clamp(Int("size", 50), 1, TrialQuery.MaxSize), request.Query["sort"].FirstOrDefault() ?? "number",
            request.Query["desc"].FirstOrDefault() is "1" or "true", state, request.Query["q"].FirstOrDefault());
        var (trials, version) = Cache(id).Refresh();

        // Paging through a sorted or filtered table reuses the order of the previous request while no trial changed.
        IReadOnlyList<FrozenTrial> ordered;
        if (_orders.TryGetValue(id, out var last) && last.Version == version && last.Query.SameOrder(query))
        {
            ordered = last.Trials;
        }
        else
        {
            ordered = query.Order(trials);
            _orders[id] = (version, query, ordered);
        }

        var total = ordered.Count;
        var rows = query.Cut(ordered);
        var list = new JsonArray();
        foreach (var t in rows)
        {
            list.Add((JsonNode)Row(t));
        }

        return Json(new JsonObject { ["total"] = total, ["page"] = query.Page, ["size"] = query.Size, ["version"] = version, ["trials"] = list });
    }

    private static JsonObject Row(FrozenTrial t)
    {
        var parameters = new JsonObject();
        foreach (var (name, value) in t.Params.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            parameters[name] = value switch
            {
                double d => double.IsFinite(d) ? d : null,
                null => null,
                _ => JsonNode.Parse(JsonSerializer.SerializeToElement(value, value.GetType(), JsonSerializerOptions.Default).GetRawText()),
            };
        }

        return new JsonObject
        {
            ["number"] = t.Number, ["state"] = t.State.ToString().ToLowerInvariant(),
            ["values"] = t.Values is { } v ? new JsonArray([.. v.Select(x => double.IsFinite(x) ? (JsonNode?)x : null)]) : null,
            ["params"] = parameters,
            ["start"] = t.DatetimeStart?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["duration"] = t.Duration?.TotalSeconds,
            ["user_attrs"] = Attrs(t.UserAttrs), ["system_attrs"] = Attrs(t.SystemAttrs),
        };
    }

    private IResult Plot(long id, string kind)
    {
        if (Record(id) is not { } record)
        {
            return NotFound($"no study with id {id}");
        }

        if (!StudyPlots.Kinds.Contains(kind))
        {
            return NotFound($"no plot \"{kind}\"; the plots are {string.Join(", ", StudyPlots.Kinds)}");
        }

        var version = Cache(id).Refresh().Version;
        if (_figures.TryGetValue((id, kind), out var cached) && cached.Version == version)
        {
            return Results.Content(cached.Json, "application/json");
        }

        var study = _studies.GetOrAdd(id, _ => Study.Load(new StudyOptions { Name = record.Name, Storage = _options.Storage }));
        var figure = StudyPlots.Build(study, kind);
        var json = figure is null ? "null" : figure.ToJson();
        _figures[(id, kind)] = (version, json);
        return Results.Content(json, "application/json");
    }

    private IResult Note(long id)
    {
        if (Record(id) is null)
        {
            return NotFound($"no study with id {id}");
        }

        var (version, body) = StudyNote.Read(_options.Storage, id);
        return Json(new JsonObject { ["version"] = version, ["body"] = body });
    }

    private async Task<IResult> SaveNote(long id, HttpRequest request)
    {
        if (_options.ReadOnly)
        {
            return Results.Content("""{"error":"the dashboard is read-only (--read-only)"}""", "application/json", statusCode: 403);
        }

        if (Record(id) is null)
        {
            return NotFound($"no study with id {id}");
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body?["body"]?.GetValue<string>() is not { } text || body["version"]?.GetValue<int>() is not { } expected)
        {
            return Results.Content("""{"error":"send {\"version\": <the version read>, \"body\": \"<text>\"}"}""", "application/json", statusCode: 400);
        }

        return StudyNote.Write(_options.Storage, id, expected, text)
            ? Note(id)
            : Results.Content("""{"error":"the note was changed by someone else; reload it"}""", "application/json", statusCode: 409);
    }
}
