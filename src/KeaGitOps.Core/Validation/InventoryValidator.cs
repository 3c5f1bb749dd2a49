using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Sources;
using KeaGitOps.Core.Validation.Rules;

namespace KeaGitOps.Core.Validation;

/// <summary>What validation produced: the model (when the files could be read at all) and every finding.</summary>
public sealed record ValidationResult(LoadedInventory? Source, InventoryModel? Model, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Model is null || Diagnostics.Any(d => d.IsError);
}

/// <summary>Loads an inventory folder and runs both layers (schema, then semantic rules), reporting all findings at once.</summary>
public sealed class InventoryValidator(SchemaValidator schema, IReadOnlyList<IInventoryRule> rules, InventoryLoader loader)
{
    public static IReadOnlyList<IInventoryRule> DefaultRules { get; } =
        [new ServerRules(), new SubnetRules(), new ReservationRules(), new PoolAddressRules(), new TimerRules(), new OptionRules(), new OptionDefRules(), new HaPeerRules(), new KeaVersionRules(), new KeaSettingsRules(), new PoolClassRules()];

    public ValidationResult Validate(string inventoryFolder) => Validate(diagnostics => loader.Load(inventoryFolder, diagnostics));

    public ValidationResult Validate(IFileSource inventory) => Validate(diagnostics => InventoryLoader.Load(inventory, diagnostics));

    private ValidationResult Validate(Func<DiagnosticBag, LoadedInventory?> load)
    {
        var diagnostics = new DiagnosticBag();
        LoadedInventory? loaded;
        using (PhaseTimer.Measure("load"))
        {
            loaded = load(diagnostics);
        }

        if (loaded is null)
        {
            return new ValidationResult(null, null, diagnostics.Sorted());
        }

        // The schema and the rules read the same immutable tree and report separately: the schema runs
        // on the other core meanwhile, and its findings join the rest before they are sorted.
        var schemaFindings = new DiagnosticBag();
        var schemaCheck = Task.Run(() =>
        {
            using (PhaseTimer.Measure("schema"))
            {
                schema.Validate(loaded.Root, schemaFindings);
            }
        });

        InventoryModel model;
        using (PhaseTimer.Measure("bind"))
        {
            model = ModelBinder.Bind(loaded.Root);
        }

        using (PhaseTimer.Measure("rules"))
        {
            foreach (var rule in rules)
            {
                rule.Check(model, diagnostics);
            }
        }

        schemaCheck.GetAwaiter().GetResult();
        diagnostics.AddRange(schemaFindings.Items);

        return new ValidationResult(loaded, model, diagnostics.Sorted());
    }
}
