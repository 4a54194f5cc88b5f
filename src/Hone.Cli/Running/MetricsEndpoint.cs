using System.Net;
using Hone.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Hone.Cli.Running;

/// <summary>
/// Serves the <see cref="HoneTelemetry.MeterName"/> meter in Prometheus' text format at <c>/metrics</c> on a port,
/// through OpenTelemetry's Prometheus exporter, for as long as it is not disposed.
/// </summary>
internal static class MetricsEndpoint
{
    public static MeterProvider Start(int port)
    {
        try
        {
            return Sdk.CreateMeterProviderBuilder()
                .AddMeter(HoneTelemetry.MeterName)
                .AddPrometheusHttpListener(o =>
                {
                    o.Host = "localhost";
                    o.Port = port;

                    // The exporter takes a host name only; a scraper on another machine needs every interface.
                    o.ConfigureHttpListener = (_, listener) =>
                    {
                        listener.Prefixes.Clear();
                        listener.Prefixes.Add($"http://*:{port}/");
                    };
                })
                .Build();
        }
        catch (Exception e) when (e is HttpListenerException or InvalidOperationException)
        {
            var reason = e.InnerException is HttpListenerException inner ? inner.Message : e.Message;
            throw new UsageException($"--metrics-port {port}: cannot listen there ({reason}); choose a free port");
        }
    }
}
