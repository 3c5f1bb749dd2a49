using System.CommandLine;
using System.Text.RegularExpressions;
using KeaGitOps.Cli.Output;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Import;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Validation;
using KeaGitOps.Remote.Import;

namespace KeaGitOps.Cli.Commands;

/// <summary>
/// <c>keagitops import</c>: read each server's kea-dhcp4.conf and kea-ctrl-agent.conf (files, or live over
/// SSH), reconcile the pair and write a first inventory plus a report of every conflict, of everything not
/// imported, and of the check that the written inventory validates and renders the configs back.
/// </summary>
public sealed partial class ImportCommand
{
    private readonly Option<string[]> _from = new("--from")
    {
        Description = "A server's name and its kea-dhcp4.conf, as NAME=PATH (a kea-ctrl-agent.conf beside it is read too); once per server. The first is preferred unless --prefer says otherwise.",
        HelpName = "NAME=PATH",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<bool> _fromServers = new("--from-servers")
    {
        Description = "Read each server's live kea-dhcp4.conf and kea-ctrl-agent.conf over SSH instead, using the servers, ssh and deploy settings of --inventory (host keys checked against known_hosts).",
    };

    private readonly Option<DirectoryInfo> _inventory = CommonOptions.Inventory();

    private readonly Option<string[]> _server = new("--server")
    {
        Description = "Read a live server before any inventory exists, as NAME=[USER@]HOST[:PORT] (user root, port 22 by default); once per server. Host keys are checked against --known-hosts; the written inventory keeps these SSH settings for deploy.",
        HelpName = "NAME=[USER@]HOST[:PORT]",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<FileInfo?> _sshKey = new("--ssh-key")
    {
        Description = "With --server: the private key to log in with (default ~/.ssh/id_ed25519, id_ecdsa or id_rsa; passphrase from KEAGITOPS_SSH_PASSPHRASE).",
        HelpName = "FILE",
    };

    private readonly Option<FileInfo?> _knownHosts = new("--known-hosts")
    {
        Description = "With --server: the known_hosts file the servers' host keys must be in (default ~/.ssh/known_hosts).",
        HelpName = "FILE",
    };

    private readonly Option<string?> _configDirectory = new("--config-directory")
    {
        Description = "With --server: where the servers keep kea-dhcp4.conf and kea-ctrl-agent.conf (default /etc/kea).",
        HelpName = "DIR",
    };

    private readonly Option<DirectoryInfo> _out = new("--out", "-o")
    {
        Description = "Folder to write the inventory into (site.yaml, reservations/, import-report.md); must be empty or absent.",
        HelpName = "DIR",
        Required = true,
    };

    private readonly Option<string?> _prefer = new("--prefer")
    {
        Description = "The server whose version wins each conflict (default: the first one named).",
        HelpName = "NAME",
    };

    private readonly Option<ReservationGrouping> _groupBy = new("--group-by")
    {
        Description = "How reservations are laid out for review: subnet (reservations/subnet-ID.yaml), hostname-prefix (reservations/subnet-ID/PREFIX.yaml: ble.yaml, bulb.yaml…), or inline (in site.yaml).",
        HelpName = "subnet|hostname-prefix|inline",
        DefaultValueFactory = _ => ReservationGrouping.Subnet,
        CustomParser = result => result.Tokens.Single().Value switch
        {
            "subnet" => ReservationGrouping.Subnet,
            "hostname-prefix" => ReservationGrouping.HostnamePrefix,
            "inline" => ReservationGrouping.Inline,
            var other => Invalid(result, other),
        },
    };

    private static ReservationGrouping Invalid(System.CommandLine.Parsing.ArgumentResult result, string value)
    {
        result.AddError($"--group-by {value}: expected subnet, hostname-prefix or inline");
        return ReservationGrouping.Subnet;
    }

    private readonly Option<bool> _strict = new("--strict")
    {
        Description = "Treat every conflict as an error: print the report, write nothing, exit 1.",
    };

    private readonly Option<bool> _allowLoss = new("--allow-loss")
    {
        Description = "Write the inventory even when a setting that changes what a server does cannot be imported (each is listed in the report); without it such an import writes nothing and exits 1.",
    };

    public Command Build()
    {
        var command = new Command("import", "Import the servers' kea-dhcp4.conf (and kea-ctrl-agent.conf) into a new inventory, reconciling the two: conflicts go to the --prefer server and are marked '# import: conflict' and listed in OUT/import-report.md, which ends with the check that the inventory validates and renders the configs back. Read them from files (--from), from the servers of an inventory (--from-servers) or from servers named here (--server). Exit 0: written; 1: unreadable config or server, a setting that changes service would be lost (without --allow-loss), or conflicts with --strict (nothing written); 64: bad options.")
        {
            _from, _fromServers, _inventory, _server, _sshKey, _knownHosts, _configDirectory, _out, _prefer, _strict, _allowLoss, _groupBy,
        };
        command.SetAction((parse, cancellation) =>
        {
            var (from, servers) = (parse.GetValue(_from) ?? [], parse.GetValue(_server) ?? []);
            var (output, prefer, strict, grouping) = (parse.GetValue(_out)!, parse.GetValue(_prefer), parse.GetValue(_strict), parse.GetValue(_groupBy));
            var allowLoss = parse.GetValue(_allowLoss);
            if (new[] { from.Length > 0, servers.Length > 0, parse.GetValue(_fromServers) }.Count(given => given) > 1)
            {
                Console.Out.WriteLine("keagitops import: choose one source: --from NAME=PATH, --from-servers (with --inventory) or --server NAME=HOST");
                return Task.FromResult(ExitCodes.UsageError);
            }

            if (servers.Length > 0)
            {
                var connection = new HostOptions(servers, parse.GetValue(_sshKey), parse.GetValue(_knownHosts), parse.GetValue(_configDirectory));
                return RunFromHostsAsync(connection, output, prefer, strict, Console.Out, cancellation, grouping, allowLoss);
            }

            return parse.GetValue(_fromServers)
                ? RunFromServersAsync(parse.GetValue(_inventory)!, output, prefer, strict, Console.Out, cancellation, grouping, allowLoss)
                : Task.FromResult(Run(from, output, prefer, strict, Console.Out, grouping, allowLoss));
        });
        return command;
    }

    /// <summary>--server and the SSH options that go with it.</summary>
    public sealed record HostOptions(IReadOnlyList<string> Servers, FileInfo? KeyFile, FileInfo? KnownHosts, string? ConfigDirectory);

    public static int Run(IReadOnlyList<string> from, DirectoryInfo output, string? prefer, bool strict, TextWriter console, ReservationGrouping grouping = ReservationGrouping.Subnet, bool allowLoss = false)
    {
        var servers = new List<(string Name, string Path)>();
        foreach (var item in from)
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? item[..equals] : string.Empty;
            if (!ServerName().IsMatch(name) || equals == item.Length - 1)
            {
                console.WriteLine($"keagitops import: --from {item}: expected NAME=PATH, NAME a server name (letters, digits, . _ -)");
                return ExitCodes.UsageError;
            }

            if (servers.Exists(s => s.Name == name))
            {
                console.WriteLine($"keagitops import: --from {name} given twice");
                return ExitCodes.UsageError;
            }

            servers.Add((name, item[(equals + 1)..]));
        }

        if (servers.Count == 0)
        {
            console.WriteLine("keagitops import: name the servers' configs with --from NAME=PATH (once per server), or use --from-servers");
            return ExitCodes.UsageError;
        }

        return Import(servers.Select(s => ConfigSource.FromFile(s.Name, s.Path)).ToList(), output, new ImportOptions(prefer, strict, grouping, AllowLoss: allowLoss), console);
    }

    /// <summary>
    /// --from-servers: each server of the inventory, over SSH (host keys checked), its live kea-dhcp4.conf
    /// from deploy.config-directory; &lt;?include?&gt; files are read over SSH too.
    /// </summary>
    public static async Task<int> RunFromServersAsync(DirectoryInfo inventory, DirectoryInfo output, string? prefer, bool strict, TextWriter console, CancellationToken cancellation, ReservationGrouping grouping = ReservationGrouping.Subnet, bool allowLoss = false)
    {
        var validation = new InventoryValidator(SchemaValidator.BuiltIn, InventoryValidator.DefaultRules, new InventoryLoader()).Validate(inventory.FullName);
        if (validation.Model is null || validation.Diagnostics.Any(d => d.Code is "KGO001" or "KGO002" or "KGO003" or "KGO004" or "KGO101" or "KGO102" or "KGO103"))
        {
            new DiagnosticWriter(console, OutputFormat.Text, CommonOptions.UseColor()).Write(validation.Diagnostics, "the inventory's servers and ssh settings cannot be read: no server contacted");
            return ExitCodes.Failure;
        }

        return await ImportLiveAsync(validation.Model, output, new ImportOptions(prefer, strict, grouping, AllowLoss: allowLoss), console, cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// --server NAME=[USER@]HOST[:PORT]: servers without an inventory. They are read as --from-servers reads
    /// an inventory's servers, and the SSH settings used are written into the new inventory.
    /// </summary>
    public static async Task<int> RunFromHostsAsync(HostOptions options, DirectoryInfo output, string? prefer, bool strict, TextWriter console, CancellationToken cancellation, ReservationGrouping grouping = ReservationGrouping.Subnet, bool allowLoss = false)
    {
        var reached = new Dictionary<string, (string Host, string User, int Port)>(StringComparer.Ordinal);
        foreach (var spec in options.Servers)
        {
            if (ParseServer(spec) is not { } server)
            {
                console.WriteLine($"keagitops import: --server {spec}: expected NAME=[USER@]HOST[:PORT], NAME a server name (letters, digits, . _ -), PORT 1-65535");
                return ExitCodes.UsageError;
            }

            if (!reached.TryAdd(server.Name, (server.Host, server.User, server.Port)))
            {
                console.WriteLine($"keagitops import: --server {server.Name} given twice");
                return ExitCodes.UsageError;
            }
        }

        var connection = new ImportConnection(reached, options.KeyFile?.FullName, options.KnownHosts?.FullName, options.ConfigDirectory);
        return await ImportLiveAsync(LiveImportSources.InventoryFor(connection), output, new ImportOptions(prefer, strict, grouping, connection, allowLoss), console, cancellation).ConfigureAwait(false);
    }

    /// <summary>NAME=[USER@]HOST[:PORT], HOST a name, an IPv4 address or a bracketed IPv6 address.</summary>
    private static (string Name, string User, string Host, int Port)? ParseServer(string spec)
    {
        var match = ServerSpec().Match(spec);
        if (!match.Success)
        {
            return null;
        }

        var port = 22;
        if (match.Groups["port"].Success && (!int.TryParse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            return null;
        }

        var user = match.Groups["user"].Success ? match.Groups["user"].Value : "root";
        return (match.Groups["name"].Value, user, match.Groups["host"].Value, port);
    }

    private static async Task<int> ImportLiveAsync(InventoryModel model, DirectoryInfo output, ImportOptions options, TextWriter console, CancellationToken cancellation)
    {
        await using var live = await LiveImportSources.OpenAsync(model, RemoteSession.ConnectAsync, cancellation).ConfigureAwait(false);
        if (live.Error is { } error)
        {
            console.WriteLine(error);
            return ExitCodes.Failure;
        }

        return Import(live.Sources, output, options, console);
    }

    /// <summary>Runs the import and prints the report, then what stopped it or the check of what was written.</summary>
    private static int Import(IReadOnlyList<ConfigSource> servers, DirectoryInfo output, ImportOptions options, TextWriter console)
    {
        var result = ImportRun.Run(servers, options, new FolderImportWriter(output));
        if (result.Output is { } written)
        {
            console.Write(written.Report);
        }

        switch (result.Outcome)
        {
            case ImportOutcome.Written:
                console.Write(result.Check);
                console.WriteLine();
                console.WriteLine($"keagitops import: wrote {result.Output!.Files.Count} file(s) to {DisplayPath.Of(output.FullName)}; next: review {ImportOutput.ReportFile} and the '# import:' comments, then `keagitops validate --inventory {DisplayPath.Of(output.FullName)}`");
                return ExitCodes.Success;
            case ImportOutcome.Conflicts or ImportOutcome.Loss:
                console.WriteLine();
                break;
        }

        foreach (var line in result.Errors)
        {
            console.WriteLine(line);
        }

        return result.Outcome == ImportOutcome.BadOptions ? ExitCodes.UsageError : ExitCodes.Failure;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex ServerName();

    [GeneratedRegex(@"^(?<name>[A-Za-z0-9][A-Za-z0-9._-]{0,62})=(?:(?<user>[A-Za-z0-9._][A-Za-z0-9._-]*)@)?(?:(?<host>[A-Za-z0-9][A-Za-z0-9.-]*)|\[(?<host>[0-9A-Fa-f:.]+)\])(?::(?<port>[0-9]{1,5}))?$")]
    private static partial Regex ServerSpec();
}
