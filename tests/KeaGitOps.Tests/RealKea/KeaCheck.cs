using System.Diagnostics;
using KeaGitOps.Core.Inventory;

namespace KeaGitOps.Tests.RealKea;

/// <summary>The outcome of a real Kea config check: its exit code and everything it printed.</summary>
public sealed record KeaCheckResult(int ExitCode, string Output)
{
    public bool Passed => ExitCode == 0;
}

/// <summary>
/// Runs the real Kea config checks: Debian 12's Kea 2.2 on this machine, and Kea 2.6 and 3.0 inside the
/// Debian 13 and Debian testing roots that scripts/make-kea-root.sh builds (never installed on the host).
/// A missing Kea is a test failure with the command that installs it, never a skip: CI must prove
/// configs against every version keagitops renders for.
/// </summary>
public sealed class KeaInstallation
{
    /// <summary>Each version in a root: its variable, its default folder, and the script's argument.</summary>
    private static readonly Dictionary<string, (string Variable, string DefaultRoot)> Roots = new(StringComparer.Ordinal)
    {
        ["2.6"] = ("KEA26_ROOT", "/var/cache/keagitops/kea26-root"),
        ["3.0"] = ("KEA3_ROOT", "/var/cache/keagitops/kea3-root"),
    };

    private KeaInstallation(string version, string? root)
    {
        Version = version;
        Root = root;
    }

    public string Version { get; }

    /// <summary>The chroot holding this Kea, or null for the host's.</summary>
    public string? Root { get; }

    /// <summary>
    /// Whether kea-dhcp4 -T (loads the hooks and runs their checks) can check a keagitops render: 2.2
    /// has no -T, and 2.6's starts the HA hook's dedicated listener, which it then refuses because a
    /// check runs without multi-threading ("CmdHttpListener cannot be started when multi-threading is
    /// disabled"; Kea 2.7 skips the listener in test mode, ISC #3542).
    /// </summary>
    public bool HasDeepCheck => Version == "3.0";

    /// <summary>Every version keagitops renders for, oldest first.</summary>
    public static IReadOnlyList<string> Versions => [.. KeaVersions.All.Select(v => v.Name)];

    public static KeaInstallation For(string version)
    {
        if (version == "2.2")
        {
            Require(File.Exists("/usr/sbin/kea-dhcp4") && File.Exists("/usr/sbin/kea-ctrl-agent"),
                "Debian 12's Kea 2.2 is not installed: apt-get install kea-dhcp4-server kea-ctrl-agent (scripts/install-prerequisites.sh does this)");
            return new KeaInstallation("2.2", null);
        }

        Require(Roots.TryGetValue(version, out var place), $"no Kea {version} installation is known to the tests");
        return InRoot(version, Environment.GetEnvironmentVariable(place.Variable) is { Length: > 0 } configured ? configured : place.DefaultRoot);
    }

    /// <summary>
    /// The Kea in <paramref name="root"/>, which must be <paramref name="version"/>: a root built for
    /// another version (or a KEA*_ROOT pointing at the wrong one) would prove nothing about this one.
    /// </summary>
    public static KeaInstallation InRoot(string version, string root)
    {
        var variable = Roots.TryGetValue(version, out var place) ? place.Variable : "KEA_ROOT";
        Require(File.Exists(Path.Combine(root, "usr/sbin/kea-dhcp4")) && File.Exists(Path.Combine(root, "usr/sbin/kea-ctrl-agent")),
            $"Kea {version} root not found at {root}: run scripts/make-kea-root.sh {version} (scripts/install-prerequisites.sh does this), or set {variable}");
        var reported = Run("chroot", [root, "/usr/sbin/kea-dhcp4", "-v"]);
        Require(reported.Passed && reported.Output.Trim().StartsWith(version + ".", StringComparison.Ordinal),
            $"the root at {root} holds kea-dhcp4 {reported.Output.Trim()}, not Kea {version}: rebuild it with scripts/make-kea-root.sh {version}, or set {variable}");
        return new KeaInstallation(version, root);
    }

    /// <summary>kea-dhcp4 -t (or -T): syntax, and with -T the hooks' own checks.</summary>
    public KeaCheckResult CheckDhcp4(string configText, bool deep = false) => Check("kea-dhcp4", deep ? "-T" : "-t", configText);

    /// <summary>kea-ctrl-agent -t (the agent insists that its password file exists: see <see cref="Check"/>).</summary>
    public KeaCheckResult CheckControlAgent(string configText) => Check("kea-ctrl-agent", "-t", configText);

    /// <summary>
    /// Runs a check the way the config will meet a server: in a private mount namespace where a scratch
    /// folder with a dummy password file is mounted over /etc/kea, and a private network namespace
    /// holding interfaces with the names the config listens on (Kea refuses unknown interfaces).
    /// Nothing on the host changes and no packet leaves the namespace.
    /// </summary>
    private KeaCheckResult Check(string program, string flag, string configText)
    {
        var scratch = Root is null ? Path.GetTempPath() : Path.Combine(Root, "tmp");
        var work = Directory.CreateTempSubdirectory("keagitops-check-").FullName;
        var configDir = Path.Combine(scratch, "keagitops-conf-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(configDir);
        try
        {
            File.WriteAllText(Path.Combine(work, "kea-api-password"), "test-only-password\n");
            var config = Path.Combine(configDir, program + ".conf");
            File.WriteAllText(config, configText);
            var etcKea = Root is null ? "/etc/kea" : Path.Combine(Root, "etc/kea");
            var inRoot = Root is null ? config : "/tmp/" + Path.GetFileName(configDir) + "/" + program + ".conf";
            var run = Root is null ? $"/usr/sbin/{program} {flag} {Quote(inRoot)}" : $"chroot {Quote(Root)} /usr/sbin/{program} {flag} {Quote(inRoot)}";
            // veth pairs stand in for the interfaces: this kernel may lack the dummy driver.
            var interfaces = string.Concat(InterfacesOf(configText).Select((name, i) => $"ip link add {Quote(name)} type veth peer name kgo-peer{i} && ip link set {Quote(name)} up && "));
            var script = $"ip link set lo up && {interfaces}mkdir -p {Quote(etcKea)} && mount --bind {Quote(work)} {Quote(etcKea)} && exec {run}";
            return Run("unshare", ["--mount", "--net", "--propagation", "private", "sh", "-c", script]);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
            Directory.Delete(configDir, recursive: true);
        }
    }

    private static KeaCheckResult Run(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within 2 minutes");
        }

        return new KeaCheckResult(process.ExitCode, stdout.Result + stderr.Result);
    }

    private static List<string> InterfacesOf(string configText)
    {
        using var document = System.Text.Json.JsonDocument.Parse(configText);
        if (!document.RootElement.TryGetProperty("Dhcp4", out var dhcp4)
            || !dhcp4.TryGetProperty("interfaces-config", out var config)
            || !config.TryGetProperty("interfaces", out var list))
        {
            return [];
        }

        return list.EnumerateArray().Select(i => i.GetString()!.Split('/')[0]).Where(name => name != "*").Distinct().ToList();
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
