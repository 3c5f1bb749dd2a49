using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Remote.Ssh;

/// <summary>The SSH settings in force for a server: its own, else the inventory's, else OpenSSH's usual defaults.</summary>
public static class SshSettingsResolver
{
    public const string PassphraseVariable = "KEAGITOPS_SSH_PASSPHRASE";

    private static readonly string[] DefaultKeyNames = ["id_ed25519", "id_ecdsa", "id_rsa"];

    public static SshEndpoint Endpoint(InventoryModel inventory, Server server, string workingDirectory)
    {
        var own = server.Ssh;
        var shared = inventory.Ssh;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var keyFile = own?.KeyFile ?? shared.KeyFile
            ?? DefaultKeyNames.Select(k => Path.Combine(home, ".ssh", k)).FirstOrDefault(File.Exists)
            ?? Path.Combine(home, ".ssh", "id_ed25519");
        return new SshEndpoint(
            server.Name,
            own?.Host ?? shared.Host ?? server.Address?.ToString() ?? server.Name,
            (int)(own?.Port ?? shared.Port ?? 22),
            own?.User ?? shared.User ?? "root",
            Path.GetFullPath(keyFile, workingDirectory),
            Environment.GetEnvironmentVariable(PassphraseVariable) is { Length: > 0 } passphrase ? passphrase : null,
            TimeSpan.FromSeconds(15));
    }

    public static string KnownHostsFile(InventoryModel inventory, Server server, string workingDirectory) =>
        Path.GetFullPath(server.Ssh?.KnownHosts ?? inventory.Ssh.KnownHosts ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", "known_hosts"), workingDirectory);
}
