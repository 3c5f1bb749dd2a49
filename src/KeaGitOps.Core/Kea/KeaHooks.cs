namespace KeaGitOps.Core.Kea;

/// <summary>The hook libraries keagitops loads itself (their parameters come from the inventory's typed keys), by file name.</summary>
public static class KeaHooks
{
    public const string HighAvailability = "libdhcp_ha.so";
    public const string LeaseCommands = "libdhcp_lease_cmds.so";

    /// <summary>Reservations changed at runtime (deploy.runtime-changes), where the Kea version ships it.</summary>
    public const string HostCommands = "libdhcp_host_cmds.so";

    /// <summary>Subnet settings changed at runtime (deploy.runtime-changes), where the Kea version ships it.</summary>
    public const string SubnetCommands = "libdhcp_subnet_cmds.so";

    /// <summary>The libraries deploy.runtime-changes loads, in load order.</summary>
    public static IReadOnlyList<string> RuntimeCommands { get; } = [HostCommands, SubnetCommands];

    /// <summary>Every library the rendered config loads on its own, in load order.</summary>
    public static IReadOnlyList<string> Derived { get; } = [LeaseCommands, HighAvailability, .. RuntimeCommands];

    /// <summary>The file name of a library as a config names it (a bare name, or a path in the hooks directory).</summary>
    public static string FileName(string library) => library[(library.LastIndexOf('/') + 1)..];

    public static bool IsDerived(string library) => Derived.Contains(FileName(library), StringComparer.Ordinal);
}
