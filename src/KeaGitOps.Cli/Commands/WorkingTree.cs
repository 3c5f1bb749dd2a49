using KeaGitOps.Core.Inventory;
using KeaGitOps.Core.Rendering;
using KeaGitOps.Core.Validation;
using KeaGitOps.Git;

namespace KeaGitOps.Cli.Commands;

/// <summary>The one way commands render what is in the working tree: validated, with the templates in force, stamped with its git revision.</summary>
public static class WorkingTree
{
    /// <summary>
    /// Starts reading the git revision of the inventory and templates. Loading libgit2 and asking the
    /// status of the files takes about as long as validating a small inventory, and neither needs the
    /// other, so they run side by side.
    /// </summary>
    public static Task<SourceRevision?> ReadRevisionAsync(DirectoryInfo inventory, DirectoryInfo? templates)
    {
        var templatesFolder = CommonOptions.TemplatesFolder(templates);
        return Task.Run(() => GitProvenance.Read(inventory.FullName, templatesFolder));
    }

    /// <param name="revision">the revision being read when the caller started it (deploy's guards), else read here.</param>
    /// <param name="bound">given the model as soon as it is bound, before the schema and the rules have judged it (deploy's <see cref="EarlyConnections"/>).</param>
    public static RenderResult Render(DirectoryInfo inventory, DirectoryInfo? templates, Task<SourceRevision?>? revision = null, IInventoryRule? bound = null)
    {
        var reading = revision ?? ReadRevisionAsync(inventory, templates);
        var pipeline = bound is null
            ? RenderPipeline.Default()
            : new RenderPipeline(new InventoryValidator(SchemaValidator.BuiltIn, [bound, .. InventoryValidator.DefaultRules], new InventoryLoader()));
        return pipeline.Run(inventory.FullName, CommonOptions.TemplatesFolder(templates), () => reading.GetAwaiter().GetResult());
    }
}
