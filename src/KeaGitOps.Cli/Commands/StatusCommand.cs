using System.CommandLine;
using KeaGitOps.Cli.Output;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Remote.Status;

namespace KeaGitOps.Cli.Commands;

/// <summary>
/// <c>keagitops status</c>: each server's health, HA state, running-config drift, pool use and the load
/// split, read over SSH and the Control Agent. Exit 0 (the report is the output); under --check the
/// monitoring-plugin codes 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, with a first line a monitoring system shows.
/// </summary>
public sealed class StatusCommand
{
    private const double DefaultWarning = 80;
    private const double DefaultCritical = 90;

    private readonly Option<DirectoryInfo> _inventory = CommonOptions.Inventory();
    private readonly Option<DirectoryInfo?> _templates = CommonOptions.Templates();
    private readonly Option<string?> _server = CommonOptions.Server();
    private readonly Option<StatusFormat> _format = new("--format", "-f")
    {
        Description = "text (a table; colour only on a terminal, never with NO_COLOR), json, or prometheus (the text exposition format, for node_exporter's textfile collector or a scrape).",
        DefaultValueFactory = _ => StatusFormat.Text,
        HelpName = "text|json|prometheus",
    };

    private readonly Option<bool> _check = new("--check") { Description = "Exit as a monitoring plugin (Nagios, Icinga): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; the first line is KEAGITOPS LEVEL - what." };
    private readonly Option<bool> _watch = new("--watch", "-w") { Description = "Refresh until Ctrl-C; the load split is then each interval's, not the cumulative counts since each daemon started." };
    private readonly Option<int> _interval = new("--interval") { Description = "Seconds between refreshes under --watch (default 5).", DefaultValueFactory = _ => 5, HelpName = "SECONDS" };
    private readonly Option<double> _warning = new("--warning") { Description = "Pool use (percent of addresses assigned or declined) that is a WARNING (default 80, Stork's).", DefaultValueFactory = _ => DefaultWarning, HelpName = "PERCENT" };
    private readonly Option<double> _critical = new("--critical") { Description = "Pool use that is CRITICAL (default 90, Stork's).", DefaultValueFactory = _ => DefaultCritical, HelpName = "PERCENT" };

    public Command Build()
    {
        var command = new Command("status", "Show each server's health (reachable, kea-dhcp4 and agent running, Kea version), HA state as each server and its partner see it, drift of the running config from the live file and of the file from the inventory, pool use per subnet and pool, and the load split. Exit 0; under --check 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.")
        {
            _inventory, _templates, _server, _format, _check, _watch, _interval, _warning, _critical,
        };
        command.Validators.Add(result =>
        {
            // Options left out have no result here, so their defaults stand in.
            var warning = result.GetResult(_warning) is null ? DefaultWarning : result.GetValue(_warning);
            var critical = result.GetResult(_critical) is null ? DefaultCritical : result.GetValue(_critical);
            if (warning is < 0 or > 100 || critical is < 0 or > 100 || warning > critical)
            {
                result.AddError($"--warning ({warning}) and --critical ({critical}) are percentages from 0 to 100, the warning at most the critical");
            }

            if (result.GetResult(_interval) is not null && result.GetValue(_interval) is < 1 or > 3600)
            {
                result.AddError($"--interval {result.GetValue(_interval)}: give 1 to 3600 seconds");
            }
        });
        command.SetAction((parse, cancellation) => RunAsync(
            new StatusRequest(parse.GetValue(_inventory)!, parse.GetValue(_templates), parse.GetValue(_server), parse.GetValue(_format), parse.GetValue(_check), parse.GetValue(_watch), TimeSpan.FromSeconds(parse.GetValue(_interval)), new StatusThresholds(parse.GetValue(_warning), parse.GetValue(_critical))),
            Console.Out,
            cancellation));
        return command;
    }

    public static async Task<int> RunAsync(StatusRequest request, TextWriter console, CancellationToken cancellation)
    {
        var session = RemoteSession.Open(request.Inventory, request.Templates, request.Server, new DiagnosticWriter(console, OutputFormat.Text, CommonOptions.UseColor()), console);
        if (session is null)
        {
            if (request.Check)
            {
                console.WriteLine("KEAGITOPS UNKNOWN - the inventory is invalid or names no such server; no server was asked");
                return ExitCodes.CheckUnknown;
            }

            return ExitCodes.Failure;
        }

        var collector = new StatusCollector(session.ConnectAsync, session.Inventory.Kea.Version.Name());
        var color = CommonOptions.UseColor();
        StatusReport? previous = null;
        while (true)
        {
            IReadOnlyList<ServerStatus> servers;
            try
            {
                servers = await collector.CollectAsync(session.Selected, cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return previous is null ? ExitCodes.Failure : Exit(request, previous);
            }

            var verdict = StatusEvaluator.Evaluate(servers, request.Thresholds);
            var load = previous is null ? verdict.LoadSummary : IntervalLoad(previous, servers, request.Interval);
            var report = new StatusReport(servers, verdict, request.Thresholds, load, DateTimeOffset.UtcNow);
            if (request.Watch && !Console.IsOutputRedirected && ReferenceEquals(console, Console.Out))
            {
                console.Write("\u001b[H\u001b[2J");
            }

            switch (request.Format)
            {
                case StatusFormat.Json:
                    StatusJsonWriter.Write(console, report);
                    break;
                case StatusFormat.Prometheus:
                    PrometheusWriter.Write(console, report);
                    break;
                default:
                    new StatusTableWriter(console, color).Write(report);
                    break;
            }

            if (!request.Watch)
            {
                return Exit(request, report);
            }

            if (request.Format == StatusFormat.Text)
            {
                console.WriteLine($"{report.Taken:HH:mm:ss} UTC, every {request.Interval.TotalSeconds:0} s; Ctrl-C to stop");
            }

            previous = report;
            try
            {
                await Task.Delay(request.Interval, cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return Exit(request, report);
            }
        }
    }

    private static int Exit(StatusRequest request, StatusReport report) => request.Check ? (int)report.Verdict.Level : ExitCodes.Success;

    /// <summary>Under --watch the split is what each server gave between two readings: "is load-balancing balancing" now, not since boot.</summary>
    private static string IntervalLoad(StatusReport previous, IReadOnlyList<ServerStatus> now, TimeSpan interval)
    {
        var deltas = now.Select(s => previous.Servers.FirstOrDefault(p => p.Server == s.Server)?.Load is { } before && s.Load is { } after ? s with { Load = after.Minus(before) } : s with { Load = null }).ToList();
        return StatusEvaluator.LoadSummary(deltas, cumulative: false, interval);
    }
}

/// <summary>What the command line asked of status.</summary>
public sealed record StatusRequest(DirectoryInfo Inventory, DirectoryInfo? Templates, string? Server, StatusFormat Format, bool Check, bool Watch, TimeSpan Interval, StatusThresholds Thresholds);
