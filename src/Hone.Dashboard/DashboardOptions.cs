using System.Net;
using Hone.Storage;

namespace Hone.Dashboard;

/// <summary>Settings of <see cref="DashboardServer"/>.</summary>
public sealed class DashboardOptions
{
    /// <summary>The storage whose studies are shown (Hone's or Optuna's: any <see cref="IStorage"/>).</summary>
    public required IStorage Storage { get; init; }

    /// <summary>The address to listen on.</summary>
    /// <value>127.0.0.1: only this machine can connect. Any other address requires <see cref="Token"/>.</value>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port to listen on; 0 picks a free one.</summary>
    /// <value>8080.</value>
    public int Port { get; init; } = 8080;

    /// <summary>
    /// A secret every request must carry (header <c>Authorization: Bearer TOKEN</c>, query <c>?token=TOKEN</c>, or the
    /// cookie the dashboard sets when the page is opened with the query); requests without it get 401. Required when <see cref="Host"/> is not a loopback address.
    /// </summary>
    /// <value>Null: no token (loopback only).</value>
    public string? Token { get; init; }

    /// <summary>Whether writes (study notes) are refused with 403.</summary>
    /// <value>False.</value>
    public bool ReadOnly { get; init; }

    /// <summary>How long the browser waits between checks for new trials, in milliseconds.</summary>
    /// <value>1000.</value>
    public int PollMilliseconds { get; init; } = 1000;

    internal void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"The port must be 0 to 65535, not {Port}.");
        }

        if (!IsLoopback(Host) && string.IsNullOrEmpty(Token))
        {
            throw new ArgumentException($"Listening on {Host} exposes the dashboard beyond this machine; give a token (--token) that every request must carry.");
        }
    }

    internal static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
