using System.CommandLine;
using KeaGitOps.Cli.Output;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Validation;

namespace KeaGitOps.Cli.Commands;

/// <summary><c>keagitops validate</c>: schema and semantic rules; exit 0 when there are no errors (warnings allowed).</summary>
public sealed class ValidateCommand
{
    private readonly Option<DirectoryInfo> _inventory = CommonOptions.Inventory();
    private readonly Option<OutputFormat> _format = CommonOptions.Format();

    public Command Build()
    {
        var command = new Command("validate", "Check the inventory against the schema and the semantic rules (README: Rule catalogue). Exit 0: no errors (warnings allowed); 1: errors.")
        {
            _inventory,
            _format,
        };
        command.SetAction(parse => Run(parse.GetValue(_inventory)!, parse.GetValue(_format), Console.Out));
        return command;
    }

    public static int Run(DirectoryInfo inventory, OutputFormat format, TextWriter output)
    {
        var result = new InventoryValidator(SchemaValidator.BuiltIn, InventoryValidator.DefaultRules, new InventoryLoader()).Validate(inventory.FullName);
        var files = result.Source?.Files.Count ?? 0;
        new DiagnosticWriter(output, format, CommonOptions.UseColor())
            .Write(result.Diagnostics, $"{DiagnosticWriter.Summary(result.Diagnostics)} in {inventory} ({files} file{(files == 1 ? string.Empty : "s")})");
        return result.HasErrors ? ExitCodes.Failure : ExitCodes.Success;
    }
}
