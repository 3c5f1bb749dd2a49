using System.CommandLine;
using System.Text;
using KeaGitOps.Core.Diagnostics;

namespace KeaGitOps.Cli.Commands;

/// <summary><c>keagitops rules</c>: the rule catalogue, the same table the README carries (a test keeps them equal).</summary>
public sealed class RulesCommand
{
    public static Command Build()
    {
        var command = new Command("rules", "List every diagnostic code with its severity, title, why it matters and the ISC Stork config review checker that matches it (Markdown).");
        command.SetAction(_ =>
        {
            Console.Out.Write(Catalogue());
            return ExitCodes.Success;
        });
        return command;
    }

    public static string Catalogue()
    {
        var text = new StringBuilder();
        text.Append("| code | severity | rule | why | Stork checker |\n|---|---|---|---|---|\n");
        foreach (var rule in DiagnosticCatalogue.Rules.OrderBy(r => r.Code, StringComparer.Ordinal))
        {
            var stork = rule.Stork is null ? "none" : $"`{rule.Stork}`";
            text.Append($"| {rule.Code} | {(rule.Severity == Severity.Error ? "error" : "warning")} | {rule.Title} | {rule.Why} | {stork} |\n");
        }

        return text.ToString();
    }
}
