using KeaGitOps.Core.Diagnostics;
using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Sources;
using KeaGitOps.Core.Validation;

namespace KeaGitOps.Core.Rendering;

public sealed record RenderResult(IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<RenderedServer>? Servers, InventoryModel? Inventory = null)
{
    public bool Succeeded => Servers is not null;
}

/// <summary>
/// validate → render, the path every command that produces configs takes. An inventory with errors is
/// never rendered: its diagnostics are returned instead.
/// </summary>
public sealed class RenderPipeline(InventoryValidator validator)
{
    public static RenderPipeline Default(string? workingDirectory = null) =>
        new(new InventoryValidator(SchemaValidator.BuiltIn, InventoryValidator.DefaultRules, new InventoryLoader(workingDirectory)));

    /// <param name="templatesFolder">null for the built-in templates.</param>
    /// <param name="revision">reads the source revision once validation passed (null outside git).</param>
    public RenderResult Run(string inventoryFolder, string? templatesFolder, Func<SourceRevision?> revision) =>
        Run(() => validator.Validate(inventoryFolder), findings => TemplateSet.Load(templatesFolder, findings), revision);

    /// <param name="templates">null for the built-in templates.</param>
    public RenderResult Run(IFileSource inventory, IFileSource? templates, Func<SourceRevision?> revision) =>
        Run(() => validator.Validate(inventory), findings => templates is null ? TemplateSet.Load((string?)null, findings) : TemplateSet.Load(templates, findings), revision);

    private static RenderResult Run(Func<ValidationResult> validate, Func<DiagnosticBag, TemplateSet?> loadTemplates, Func<SourceRevision?> revision)
    {
        // The templates are read and parsed on another thread while the inventory is validated.
        var templateFindings = new DiagnosticBag();
        var loading = Task.Run(() =>
        {
            using var timer = PhaseTimer.Measure("templates load");
            return loadTemplates(templateFindings);
        });
        var validation = validate();
        var templates = loading.GetAwaiter().GetResult();
        if (validation.HasErrors)
        {
            return new RenderResult(validation.Diagnostics, null);
        }

        var diagnostics = new DiagnosticBag();
        diagnostics.AddRange(validation.Diagnostics);
        diagnostics.AddRange(templateFindings.Items);
        if (templates is null)
        {
            return new RenderResult(diagnostics.Sorted(), null);
        }

        var servers = new InventoryRenderer(templates).Render(validation.Model!, validation.Source!.Digest, revision(), diagnostics);
        return new RenderResult(diagnostics.Sorted(), servers, validation.Model);
    }
}
