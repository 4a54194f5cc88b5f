using Hone.Storage.Tests;

namespace Hone.Storage.Postgres.Tests.FaultInjection;

/// <summary>
/// A network namespace joined to this one by a veth pair on loopback-range addresses (127.77.x.1 here, 127.77.x.2
/// inside), made by the test and removed on dispose: a process started inside reaches the host only over the pair,
/// so taking the link down cuts it off (its packets are dropped, as in a real partition) while every other process
/// keeps its network. Needs root (CAP_NET_ADMIN) and iproute2.
/// </summary>
internal sealed class NetworkNamespace : IDisposable
{
    private readonly string _hostSide;
    private readonly string _innerSide;

    private NetworkNamespace(string name, int subnet)
    {
        Name = name;
        _hostSide = $"hv{subnet}h";
        _innerSide = $"hv{subnet}n";
        HostAddress = $"127.77.{subnet}.1";
        InnerAddress = $"127.77.{subnet}.2";
    }

    public string Name { get; }

    /// <summary>This (the root) namespace's end of the pair: where a server must listen to be reached from inside.</summary>
    public string HostAddress { get; }

    public string InnerAddress { get; }

    /// <summary>Why a namespace cannot be made here, or null.</summary>
    public static string? WhyMissing =>
        !OperatingSystem.IsLinux() ? "needs Linux network namespaces"
        : Environment.UserName != "root" ? "needs root (CAP_NET_ADMIN) to make a network namespace and a veth pair"
        : !File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip") ? "needs iproute2 (the ip command)"
        : null;

    public static NetworkNamespace Create()
    {
        var subnet = Random.Shared.Next(1, 250);
        var ns = new NetworkNamespace($"hone-test-{Guid.NewGuid():N}"[..20], subnet);
        try
        {
            Ip("netns", "add", ns.Name);
            Ip("link", "add", ns._hostSide, "type", "veth", "peer", "name", ns._innerSide);
            Ip("link", "set", ns._innerSide, "netns", ns.Name);
            Sysctl(null, $"net.ipv4.conf.{ns._hostSide}.route_localnet=1");
            Ip("addr", "add", ns.HostAddress + "/30", "dev", ns._hostSide);
            Ip("link", "set", ns._hostSide, "up");
            Sysctl(ns.Name, "net.ipv4.conf.all.route_localnet=1");
            Sysctl(ns.Name, $"net.ipv4.conf.{ns._innerSide}.route_localnet=1");
            Ip("-n", ns.Name, "addr", "add", ns.InnerAddress + "/30", "dev", ns._innerSide);
            Ip("-n", ns.Name, "link", "set", ns._innerSide, "up");
            Ip("-n", ns.Name, "link", "set", "lo", "up");
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    /// <summary>The command line that runs <paramref name="file"/> inside the namespace.</summary>
    public (string File, string[] Args) Inside(string file, params string[] args) => ("ip", ["netns", "exec", Name, file, .. args]);

    /// <summary>Cuts the pair: packets in flight and new ones are dropped.</summary>
    public void Cut() => Ip("-n", Name, "link", "set", _innerSide, "down");

    /// <summary>Joins the pair again.</summary>
    public void Restore() => Ip("-n", Name, "link", "set", _innerSide, "up");

    public void Dispose()
    {
        External.Run("ip", ["link", "del", _hostSide], TimeSpan.FromSeconds(30));
        External.Run("ip", ["netns", "del", Name], TimeSpan.FromSeconds(30));
    }

    private static void Ip(params string[] args)
    {
        var (code, _, error) = External.Run("ip", args, TimeSpan.FromSeconds(30));
        if (code != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed: {error}");
        }
    }

    private static void Sysctl(string? ns, string setting)
    {
        var (code, _, error) = ns is null
            ? External.Run("sysctl", ["-qw", setting], TimeSpan.FromSeconds(30))
            : External.Run("ip", ["netns", "exec", ns, "sysctl", "-qw", setting], TimeSpan.FromSeconds(30));
        if (code != 0)
        {
            throw new InvalidOperationException($"sysctl {setting} failed: {error}");
        }
    }
}
