using System.CommandLine;
using Hone.Dashboard;

namespace Hone.Cli.Commands;

/// <summary><c>hone dashboard</c>: a live web dashboard over a storage (Hone's or Optuna's studies), until Ctrl+C.</summary>
internal static class DashboardCommand
{
    public static void Add(RootCommand root, CliContext context)
    {
        var target = new StudyTarget();
        var port = CommandLineValues.WholeNumber("--port", string.Empty, 0, 65535, 8080, "The port to listen on (0: any free port).");
        var host = new Option<string>("--host") { Description = "The address to listen on (default 127.0.0.1, this machine only; any other address needs --token).", DefaultValueFactory = _ => "127.0.0.1" };
        var token = new Option<string?>("--token") { Description = "A secret every request must carry (?token=... in the address, or Authorization: Bearer ...)." };
        var readOnly = new Option<bool>("--read-only") { Description = "Refuse writes (study notes)." };
        var metricsPort = CommandLineValues.OptionalWholeNumber("--metrics-port", string.Empty, 1, 65535,
            "Also serve Hone's metrics in Prometheus format at http://HOST:PORT/metrics (every interface).");
        var command = new Command("dashboard", "Serve a live web dashboard of the storage's studies: trial table, plots, attributes and notes.") { port, host, token, readOnly, metricsPort };
        target.AddTo(command, withStudy: false);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var metrics = parse.GetValue(metricsPort) is { } mp ? Running.MetricsEndpoint.Start(mp) : null;
            var storage = target.OpenExisting(parse);
            var options = new DashboardOptions
            {
                Storage = storage, Port = parse.GetValue(port), Host = parse.GetValue(host)!, Token = parse.GetValue(token), ReadOnly = parse.GetValue(readOnly),
            };
            DashboardServer server;
            try
            {
                server = await DashboardServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--host {options.Host}: {Output.Messages.Of(e)}", e);
            }
            catch (IOException e)
            {
                throw new UsageException($"--port {options.Port}: cannot listen on {options.Host}:{options.Port} ({e.Message}); choose another port", e);
            }

            await using (server.ConfigureAwait(false))
            {
                var address = options.Token is { } t ? $"{server.Address}?token={Uri.EscapeDataString(t)}" : server.Address.ToString();
                context.Output.WriteLine($"Hone dashboard on {address} (Ctrl+C to stop)");
                try
                {
                    await Task.Delay(Timeout.Infinite, context.Interrupt).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return ExitCodes.Ok;
        });
        root.Add(command);
    }
}
