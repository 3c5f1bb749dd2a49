using System.CommandLine;
using System.Text.RegularExpressions;
using KeaGitOps.Cli.Output;
using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Diffing;
using KeaGitOps.Core.Import;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Core.Validation;
using KeaGitOps.Remote;
using KeaGitOps.Remote.Ssh;

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
        Description = "A server's name and its kea-dhcp4.conf, as NAME=PATH; once per server. The first is preferred unless --prefer says otherwise.",
        HelpName = "NAME=PATH",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<bool> _fromServers = new("--from-servers")
    {
        Description = "Read each server's live kea-dhcp4.conf over SSH instead, using the servers and ssh settings of --inventory (host keys checked against known_hosts).",
    };

    private readonly Option<DirectoryInfo> _inventory = CommonOptions.Inventory();

    private readonly Option<DirectoryInfo> _out = new("--out", "-o")
    {
        Description = "Folder to write the inventory into (site.yaml, reservations/, import-report.md); must be empty or absent.",
        HelpName = "DIR",
        Required = true,
    };

    private readonly Option<string?> _prefer = new("--prefer")
    {
        Description = "The server whose version wins each conflict (default: the first --from).",
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

    public Command Build()
    {
        var command = new Command("import", "Import the servers' kea-dhcp4.conf files into a new inventory, reconciling the two: conflicts go to the --prefer server and are marked '# import: conflict' and listed in OUT/import-report.md. Exit 0: written; 1: unreadable config, or conflicts with --strict (nothing written); 64: bad --from.")
        {
            _from, _fromServers, _inventory, _out, _prefer, _strict, _groupBy,
        };
        command.SetAction((parse, cancellation) => parse.GetValue(_fromServers)
            ? RunFromServersAsync(parse.GetValue(_inventory)!, parse.GetValue(_out)!, parse.GetValue(_prefer), parse.GetValue(_strict), Console.Out, cancellation, parse.GetValue(_groupBy))
            : Task.FromResult(Run(parse.GetValue(_from) ?? [], parse.GetValue(_out)!, parse.GetValue(_prefer), parse.GetValue(_strict), Console.Out, parse.GetValue(_groupBy))));
        return command;
    }

    public static int Run(IReadOnlyList<string> from, DirectoryInfo output, string? prefer, bool strict, TextWriter console, ReservationGrouping grouping = ReservationGrouping.Subnet)
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

        return Import(servers.Select(s => FromFile(s.Name, s.Path)).ToList(), output, prefer, strict, console, grouping);
    }

    /// <summary>A server's kea-dhcp4.conf, and the kea-ctrl-agent.conf beside it when there is one.</summary>
    private static ConfigSource FromFile(string name, string path)
    {
        var agent = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, TemplateSet.ControlAgent);
        var hasAgent = File.Exists(agent) && Path.GetFullPath(path) != agent;
        return new ConfigSource(name, DisplayPath.Of(Path.GetFullPath(path)), () => KeaJson.Load(path), hasAgent ? DisplayPath.Of(agent) : null, () => hasAgent ? KeaJson.Load(agent) : null);
    }

    /// <summary>
    /// One server's configs to import: its name, where they came from (for the report), and how to read
    /// them; <paramref name="LoadAgent"/> gives null when the server has no kea-ctrl-agent.conf.
    /// </summary>
    public sealed record ConfigSource(string Name, string Origin, Func<KeaJsonResult> Load, string? AgentOrigin, Func<KeaJsonResult?> LoadAgent);

    /// <summary>
    /// --from-servers: each server of the inventory, over SSH (host keys checked), its live kea-dhcp4.conf
    /// from deploy.config-directory; &lt;?include?&gt; files are read over SSH too.
    /// </summary>
    public static async Task<int> RunFromServersAsync(DirectoryInfo inventory, DirectoryInfo output, string? prefer, bool strict, TextWriter console, CancellationToken cancellation, ReservationGrouping grouping = ReservationGrouping.Subnet)
    {
        var validation = new InventoryValidator(SchemaValidator.BuiltIn, InventoryValidator.DefaultRules, new InventoryLoader()).Validate(inventory.FullName);
        if (validation.Model is null || validation.Diagnostics.Any(d => d.Code is "KGO001" or "KGO002" or "KGO003" or "KGO004" or "KGO101" or "KGO102" or "KGO103"))
        {
            new DiagnosticWriter(console, OutputFormat.Text, CommonOptions.UseColor()).Write(validation.Diagnostics, "the inventory's servers and ssh settings cannot be read: no server contacted");
            return ExitCodes.Failure;
        }

        var model = validation.Model;
        var hosts = new List<IRemoteHost>();
        try
        {
            var sources = new List<ConfigSource>();
            foreach (var server in model.Servers)
            {
                var workingDirectory = Directory.GetCurrentDirectory();
                var endpoint = SshSettingsResolver.Endpoint(model, server, workingDirectory);
                SshRemoteHost host;
                try
                {
                    host = await SshRemoteHost.ConnectAsync(endpoint, HostKeys.Gate(SshSettingsResolver.KnownHostsFile(model, server, workingDirectory)), cancellation).ConfigureAwait(false);
                }
                catch (RemoteStepException e)
                {
                    console.WriteLine($"{server.Name}: connect: {e.Message}");
                    return ExitCodes.Failure;
                }

                hosts.Add(host);
                var directory = EffectiveDeploy.For(model, server).ConfigDirectory.TrimEnd('/');
                var path = $"{directory}/{TemplateSet.Dhcp4}";
                var agentPath = $"{directory}/{TemplateSet.ControlAgent}";
                string? ReadRemote(string file) => host.ReadFileAsync(file, cancellation).GetAwaiter().GetResult() is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;
                KeaJsonResult Parse(string text, string file) =>
                    KeaJson.Parse(text, $"{server.Name}:{file}", include => ReadRemote(include.Contains(':', StringComparison.Ordinal) ? include[(include.IndexOf(':', StringComparison.Ordinal) + 1)..] : include));
                sources.Add(new ConfigSource(
                    server.Name,
                    $"{server.Name}:{path}",
                    () => ReadRemote(path) is { } text
                        ? Parse(text, path)
                        : KeaJsonResult.Failure(new KeaJsonError(SourceLocation.StartOf($"{server.Name}:{path}"), $"{path} does not exist on {server.Name}")),
                    $"{server.Name}:{agentPath}",
                    () => ReadRemote(agentPath) is { } agentText ? Parse(agentText, agentPath) : null));
            }

            return Import(sources, output, prefer, strict, console, grouping);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static int Import(IReadOnlyList<ConfigSource> servers, DirectoryInfo output, string? prefer, bool strict, TextWriter console, ReservationGrouping grouping)
    {
        if (prefer is not null && !servers.Any(s => s.Name == prefer))
        {
            console.WriteLine($"keagitops import: --prefer {prefer}: not one of the --from servers ({string.Join(", ", servers.Select(s => s.Name))})");
            return ExitCodes.UsageError;
        }

        if (output.Exists && output.EnumerateFileSystemInfos().Any())
        {
            console.WriteLine($"keagitops import: {DisplayPath.Of(output.FullName)} is not empty; import writes a new inventory into an empty folder");
            return ExitCodes.Failure;
        }

        var parsed = new List<KeaJsonResult>();
        try
        {
            var sources = new List<ImportSource>();
            foreach (var (name, origin, load, agentOrigin, loadAgent) in servers)
            {
                var result = load();
                parsed.Add(result);
                if (!result.Succeeded)
                {
                    console.WriteLine($"{result.Error}");
                    console.WriteLine($"keagitops import: cannot read {name}'s config: nothing written");
                    return ExitCodes.Failure;
                }

                var agent = loadAgent();
                if (agent is not null)
                {
                    parsed.Add(agent);
                    if (!agent.Succeeded)
                    {
                        console.WriteLine($"{agent.Error}");
                        console.WriteLine($"keagitops import: cannot read {name}'s {TemplateSet.ControlAgent}: nothing written");
                        return ExitCodes.Failure;
                    }
                }

                sources.Add(new ImportSource(name, agent is null ? origin : $"{origin} and {agentOrigin}", result.Document.RootElement, agent?.Document.RootElement));
            }

            var (plan, files) = KeaImport.Run(sources, prefer, grouping);
            console.Write(files.Report);
            if (strict && plan.HasConflicts)
            {
                console.WriteLine();
                console.WriteLine($"keagitops import: --strict: {plan.Findings.Count} conflict(s): nothing written");
                return ExitCodes.Failure;
            }

            foreach (var (relative, text) in files.Files)
            {
                var path = Path.Combine(output.FullName, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                AtomicFile.Write(path, text);
            }

            // The promise of the report: the inventory validates (or it says which rule breaks) and
            // renders back each server's config apart from what it listed.
            var check = ImportVerification.Check(output.FullName, sources, plan).ToMarkdown(plan.Preferred);
            AtomicFile.Write(Path.Combine(output.FullName, ImportOutput.ReportFile), files.Report + check);
            console.Write(check);
            console.WriteLine();
            console.WriteLine($"keagitops import: wrote {files.Files.Count} file(s) to {DisplayPath.Of(output.FullName)}; next: review {ImportOutput.ReportFile} and the '# import:' comments, then `keagitops validate --inventory {DisplayPath.Of(output.FullName)}`");
            return ExitCodes.Success;
        }
        finally
        {
            foreach (var result in parsed)
            {
                result.Dispose();
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex ServerName();
}
