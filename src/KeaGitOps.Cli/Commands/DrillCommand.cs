using System.CommandLine;
using KeaGitOps.Cli.Output;
using KeaGitOps.Remote.Deploy;
using KeaGitOps.Remote.Drill;

namespace KeaGitOps.Cli.Commands;

/// <summary>
/// <c>keagitops drill failover --server NAME</c>: stop NAME's kea-dhcp4, see its partner take over
/// (partner-down), restart NAME, see both healthy again; each phase timed. Exit 0 passed, 1 failed or
/// refused (the stopped server is restarted first).
/// </summary>
public sealed class DrillCommand
{
    private readonly Option<DirectoryInfo> _inventory = CommonOptions.Inventory();
    private readonly Option<DirectoryInfo?> _templates = CommonOptions.Templates();
    private readonly Option<string?> _server = new("--server", "-s") { Description = "The server to stop (its name in the inventory); its partner must take over.", HelpName = "NAME", Required = true };
    private readonly Option<bool> _yes = new("--yes", "-y") { Description = "Do not ask: stop the server's kea-dhcp4 (its partner serves every client meanwhile)." };
    private readonly Option<bool> _dryRun = new("--dry-run", "-n") { Description = "Check that both are healthy and the deploy lock is free, say what would happen, change nothing." };

    public Command Build()
    {
        var failover = new Command("failover", "The seed's Phase 3 as a guarded command: with both servers healthy and the deploy lock taken, stop NAME's kea-dhcp4 (deploy.stop-command), wait until its partner reports partner-down and answers, restart NAME, wait until both are healthy again; print each phase's time. On Ctrl-C or any failure NAME is restarted before it reports. Exit 0 passed, 1 failed or refused.")
        {
            _inventory, _templates, _server, _yes, _dryRun,
        };
        failover.SetAction((parse, cancellation) => RunAsync(parse.GetValue(_inventory)!, parse.GetValue(_templates), parse.GetValue(_server)!, parse.GetValue(_yes), parse.GetValue(_dryRun), Console.Out, cancellation));
        return new Command("drill", "Exercise the HA pair on purpose (drill failover).") { failover };
    }

    public static async Task<int> RunAsync(DirectoryInfo inventory, DirectoryInfo? templates, string server, bool yes, bool dryRun, TextWriter console, CancellationToken cancellation)
    {
        var session = RemoteSession.Open(inventory, templates, server, new DiagnosticWriter(console, OutputFormat.Text, CommonOptions.UseColor()), console);
        if (session is null)
        {
            return ExitCodes.Failure;
        }

        var victim = session.Selected[0];
        var partners = session.All.Where(t => t.Name != victim.Name).ToList();
        if (partners.Count != 1)
        {
            console.WriteLine($"keagitops: drill failover needs an HA pair; the inventory has {session.All.Count} server(s)");
            return ExitCodes.Failure;
        }

        if (!yes && !dryRun && !Confirm(console, $"Stop kea-dhcp4 on {victim.Name} now? {partners[0].Name} will serve every client until it is back. [y/N] "))
        {
            console.WriteLine("keagitops: not confirmed; pass --yes to run the drill without asking (or --dry-run to see what it would do)");
            return ExitCodes.Failure;
        }

        var owner = $"{Environment.UserName}@{Environment.MachineName} pid {Environment.ProcessId} since {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}";
        var ha = session.Inventory.HighAvailability;
        // Kea declares partner-down after max-response-delay without an answer (and, with max-unacked-clients, once that many clients went unanswered).
        var partnerDown = TimeSpan.FromMilliseconds(ha.MaxResponseDelay + ha.MaxAckDelay) + victim.Settings.HaTimeout;
        var options = new DrillOptions(dryRun, owner, partnerDown, victim.Settings.HaTimeout);
        var drill = new FailoverDrill(session.ConnectAsync, new Progress(console));
        var report = await drill.RunAsync(victim, partners[0], options, cancellation).ConfigureAwait(false);

        console.WriteLine();
        if (report.Phases.Count > 0)
        {
            var width = report.Phases.Max(p => p.Name.Length);
            foreach (var phase in report.Phases)
            {
                console.WriteLine($"{phase.Name.PadRight(width)}  {phase.Duration.TotalSeconds,6:0.0} s  {phase.Detail}");
            }
        }

        console.WriteLine($"drill failover {report.Message}");
        return report.Passed ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static bool Confirm(TextWriter console, string question)
    {
        if (Console.IsInputRedirected)
        {
            return false;
        }

        console.Write(question);
        return Console.ReadLine()?.Trim().ToUpperInvariant() is "Y" or "YES";
    }

    private sealed class Progress(TextWriter output) : IDeployProgress
    {
        public void Step(string server, string step, string detail) => output.WriteLine($"{server}: {step}: {detail}");
    }
}
